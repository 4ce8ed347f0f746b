using Llama4.Moderation;

namespace CodingAgent.Agent;

/// <summary>
/// A code-interpreter abuse rail (Llama Guard category S14) for tool arguments: regex rules of
/// <see cref="RuleBasedModerator"/> that block a tool call whose arguments delete the file system, pipe a download into
/// a shell, read SSH keys or system secrets, wipe disks, open reverse shells or fork-bomb. They apply to
/// <see cref="ModerationSource.ToolArguments"/> only: a file the agent reads may mention <c>rm -rf /</c>.
/// </summary>
internal static class CodeInterpreterRail
{
    /// <summary>Builds the rule set.</summary>
    /// <returns>Validated options for a <see cref="RuleBasedModerator"/>.</returns>
    public static RuleBasedModeratorOptions CreateOptions()
    {
        var options = new RuleBasedModeratorOptions();
        Add(options, "recursive-delete-of-root-or-home", @"\brm\s+(?:-[a-z]*r[a-z]*\s+|-[a-z]*\s+-[a-z]*r[a-z]*\s+|--recursive\s+)(?:-[a-z-]+\s+)*(?:/|~|\$HOME|/\*|\*)(?:\s|$|/)");
        Add(options, "remove-item-recurse-of-root", @"\bRemove-Item\b[^\n]*-Recurse[^\n]*(?:\s[A-Z]:\\|\s/|\s~)");
        Add(options, "download-piped-to-shell", @"\b(?:curl|wget|iwr|Invoke-WebRequest)\b[^\n|]*\|\s*(?:sudo\s+)?(?:sh|bash|zsh|ksh|dash|python3?|perl|ruby|pwsh|powershell|iex)\b");
        Add(options, "download-and-invoke-expression", @"\b(?:iex|Invoke-Expression)\b[^\n]*\b(?:DownloadString|Invoke-WebRequest|iwr)\b");
        Add(options, "ssh-keys", @"(?:~|\$HOME|%USERPROFILE%|/home/[^/\s]+|/root|Users[\\/][^\\/\s]+)[\\/]\.ssh\b|\.ssh[\\/](?:id_[a-z0-9]+|authorized_keys|known_hosts)");
        Add(options, "system-secrets", @"/etc/(?:shadow|gshadow|sudoers)\b|\.aws[\\/]credentials\b|\.git-credentials\b|\.docker[\\/]config\.json\b|\.kube[\\/]config\b");
        Add(options, "disk-wipe", @"\bmkfs(?:\.[a-z0-9]+)?\s+/dev/|\bdd\s+[^\n]*\bof=/dev/(?:sd|nvme|hd|disk)|>\s*/dev/(?:sd[a-z]|nvme\d)|\bformat\s+[A-Z]:");
        Add(options, "reverse-shell", @"/dev/tcp/|\b(?:nc|ncat|netcat)\b[^\n]*\s-[a-z]*e\s");
        Add(options, "fork-bomb", @":\(\)\s*\{\s*:\s*\|\s*:\s*&\s*\}\s*;\s*:");
        Add(options, "world-writable-root", @"\bchmod\s+-R\s+(?:0?777|a\+rwx)\s+/(?:\s|$)");
        return options;
    }

    private static void Add(RuleBasedModeratorOptions options, string name, string pattern)
    {
        var rule = new RegexRule
        {
            Name = name,
            Pattern = pattern,
            IgnoreCase = true,
            Action = ModerationAction.Block,
            Category = ModerationCategory.CodeInterpreterAbuse,
        };
        rule.Sources.Clear();
        rule.Sources.Add(ModerationSource.ToolArguments);
        options.RegexRules.Add(rule);
    }
}
