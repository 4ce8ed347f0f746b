using System.Text.RegularExpressions;

namespace Llama4.Moderation.Internal;

/// <summary>The prompt-injection heuristics: an id (reported in findings), a weight, and where it applies.</summary>
internal static partial class InjectionHeuristics
{
    private const int TimeoutMilliseconds = 2000;

    // Qualifiers that turn "ignore the rules" (of chess) into "ignore all previous rules" (of the assistant).
    private const string Qualifier = "(?:all|any|every|previous|prior|above|earlier|preceding|former|initial|original|your|ur|yr|system|developer|safety|these|those|existing|current)";

    private const string Target = "(?:instructions?|prompts?|rules|directions|directives|guidelines|guidance|programming|guardrails|constraints|restrictions|policies|policy|context|commands|orders|messages|training)";

    private const string AiNoun = "(?:ai|a\\.i\\.|assistant|chatbot|bot|llm|language model|model|agent|ai assistant|ai model|ai agent|gpt|chatgpt|claude|llama|copilot|gemini)";

    public static IReadOnlyList<Heuristic> All { get; } =
    [
        // Direct: instruction overrides.
        new("ignore-instructions", 0.9, false, IgnoreInstructions()),
        new("ignore-above", 0.45, false, IgnoreAbove()),
        new("ignore-and-do", 0.5, false, IgnoreAndDo()),
        new("new-instructions", 0.6, false, NewInstructions()),
        new("from-now-on", 0.35, false, FromNowOn()),
        new("instructions-void", 0.8, false, InstructionsVoid()),
        new("ignore-what-you-were-told", 0.8, false, IgnoreWhatYouWereTold()),
        new("follow-mine-instead", 0.7, false, FollowMineInstead()),
        new("your-new-task", 0.5, false, YourNewTask()),

        // Direct: jailbreak personas and role hijack.
        new("jailbreak-persona", 0.9, false, JailbreakPersona()),
        new("jailbreak-terms", 0.45, false, JailbreakTerms()),
        new("dan", 0.5, false, Dan(), Raw: true),
        new("you-are-now", 0.3, false, YouAreNow()),
        new("not-bound", 0.8, false, NotBound()),
        new("disable-safety", 0.7, false, DisableSafety()),
        new("safety-disabled", 0.7, false, SafetyDisabled()),
        new("authority-claim", 0.45, false, AuthorityClaim()),
        new("unlock-restricted", 0.6, false, UnlockRestricted()),
        new("system-override", 0.7, false, SystemOverride()),

        // Direct: system prompt exfiltration.
        new("reveal-system-prompt", 0.85, false, RevealSystemPrompt()),
        new("ask-system-prompt", 0.8, false, AskSystemPrompt()),
        new("mentions-system-prompt", 0.35, false, MentionsSystemPrompt()),
        new("your-original-instructions", 0.55, false, YourOriginalInstructions()),
        new("repeat-above", 0.7, false, RepeatAbove()),
        new("reveal-prompt-nearby", 0.85, false, RevealPromptNearby()),
        new("text-before-first-message", 0.7, false, TextBeforeFirstMessage()),
        new("starting-with-you-are", 0.6, false, StartingWithYouAre()),

        // Direct: delimiter and special-token smuggling.
        new("special-tokens", 0.95, false, SpecialTokens()),
        new("inst-tags", 0.8, false, InstTags()),
        new("role-line", 0.45, false, RoleLine()),
        new("role-tags", 0.5, false, RoleTags()),
        new("end-of-input", 0.4, false, EndOfInput()),
        new("encoded-payload", 0.7, false, EncodedPayload()),

        // Indirect: instructions addressed to the AI inside data.
        new("note-to-ai", 0.75, true, NoteToAi()),
        new("if-you-are-ai", 0.8, true, IfYouAreAi()),
        new("if-an-ai-is-reading", 0.8, true, IfAnAiIsReading()),
        new("ai-reading-this", 0.7, true, AiReadingThis()),
        new("ai-handle", 0.45, true, AiHandle()),
        new("bracket-instructions", 0.6, true, BracketInstructions()),
        new("ignore-instructions-in-data", 0.45, true, IgnoreInstructionsInData()),
        new("the-ai-must", 0.45, true, TheAiMust()),
        new("covert-action", 0.6, true, CovertAction()),
        new("ai-addressed-command", 0.6, true, AiAddressedCommand()),
        new("when-processing-this", 0.6, true, WhenProcessingThis()),
        new("hide-from-user", 0.7, true, HideFromUser()),
        new("you-must-act", 0.55, true, YouMustAct()),
        new("tool-command", 0.3, true, ToolCommand()),

        // Indirect: exfiltration and hidden markup.
        new("exfiltrate-data", 0.75, true, ExfiltrateData()),
        new("url-placeholder", 0.7, true, UrlPlaceholder()),
        new("image-with-query", 0.45, true, ImageWithQuery()),
        new("hidden-html-comment", 0.6, true, HiddenHtmlComment()),
        new("hidden-css", 0.4, true, HiddenCss()),
    ];

    /// <summary>Signals from characters that normalisation removed or decoded.</summary>
    public static IEnumerable<(string Id, double Weight)> HiddenText(NormalizedText text, bool indirect)
    {
        if (text.TagCharacters >= 4)
        {
            yield return ("tag-characters", 0.95);
        }

        if (text.InvisibleCharacters >= 3)
        {
            yield return ("invisible-characters", indirect ? 0.6 : 0.5);
        }
        else if (text.InvisibleCharacters > 0)
        {
            yield return ("invisible-characters", 0.25);
        }
    }

    [GeneratedRegex(@"\b(?:ignore|disregard|forget|bypass|override|skip|neglect|abandon|drop)\b(?:\s+(?:the|of|and|to|my|our|this|that|me|about|everything))*\s+" + Qualifier + @"\b(?:\s+[\w'-]+){0,3}?\s+" + Target + @"\b", RegexOptions.CultureInvariant, TimeoutMilliseconds)]
    private static partial Regex IgnoreInstructions();

    [GeneratedRegex(@"\b(?:ignore|disregard|forget)\s+(?:all\s+|everything\s+)?(?:of\s+)?(?:the\s+|what\s+(?:is|was)\s+)?(?:above|previous|prior|everything (?:above|before|else))\b", RegexOptions.CultureInvariant, TimeoutMilliseconds)]
    private static partial Regex IgnoreAbove();

    [GeneratedRegex(@"\b(?:ignore|disregard|forget)\b[^.\n]{0,60}\band\s+(?:instead\s+|just\s+|only\s+)?(?:say|print|output|respond|reply|write|tell|translate|repeat|answer)\b", RegexOptions.CultureInvariant, TimeoutMilliseconds)]
    private static partial Regex IgnoreAndDo();

    [GeneratedRegex(@"\b(?:new|updated|real|actual|true|revised|additional|secret|hidden|override)\s+(?:system\s+)?(?:instructions?|prompt|rules|directives?|orders|system message)\s*(?::|-|are\b|is\b|follow\b|take\b)", RegexOptions.CultureInvariant, TimeoutMilliseconds)]
    private static partial Regex NewInstructions();

    [GeneratedRegex(@"\bfrom now on\b,?\s+(?:you|your|act|respond|answer|ignore|always|never|only)\b", RegexOptions.CultureInvariant, TimeoutMilliseconds)]
    private static partial Regex FromNowOn();

    [GeneratedRegex(@"\b(?:previous|prior|above|earlier|all|your|old|original|system|existing|current)\s+(?:(?:old|previous|original|current)\s+)?(?:instructions?|rules|prompts?|guidelines|directives|restrictions|policies|filters|programming)\s+(?:are|is|were|was|have been|has been)\s+(?:now\s+)?(?:void|null|cancell?ed|revoked|obsolete|outdated|invalid|wrong|overridden|replaced|disabled|lifted|suspended|gone|removed|deleted|irrelevant|meaningless|no longer (?:valid|active|apply|needed|in effect))\b", RegexOptions.CultureInvariant, TimeoutMilliseconds)]
    private static partial Regex InstructionsVoid();

    [GeneratedRegex(@"\byour (?:new|real|actual|true|only|next) (?:task|role|job|objective|goal|purpose|mission|instructions?) (?:is|are|will be|:)", RegexOptions.CultureInvariant, TimeoutMilliseconds)]
    private static partial Regex YourNewTask();

    [GeneratedRegex(@"\b(?:safety|content|moderation|ethical|ethics)\s+(?:policy|policies|filters?|checks?|guardrails|rules|restrictions|settings|protocols?)\s+(?:is|are|has been|have been|were|was)\s+(?:now\s+|temporarily\s+)?(?:disabled|off|turned off|removed|lifted|suspended|void|deactivated|bypassed|not active)\b", RegexOptions.CultureInvariant, TimeoutMilliseconds)]
    private static partial Regex SafetyDisabled();

    [GeneratedRegex(@"\byour (?:initial|original|system|hidden|secret|confidential|internal|underlying|pre-?set) (?:prompt|instructions|rules|directives|configuration)\b", RegexOptions.CultureInvariant, TimeoutMilliseconds)]
    private static partial Regex YourOriginalInstructions();

    [GeneratedRegex(@"\b(?:ignore|disregard|forget|discard)\s+(?:whatever|what|anything|everything|all)\s+(?:that\s+)?(?:you (?:were|have been|'ve been) (?:told|given|instructed|taught|programmed)|(?:the|your)\s+(?:developers?|creators?|admins?|owners?|company|operators?)\s+(?:told|gave|instructed|said to)\s+you|they (?:told|gave|instructed) you)", RegexOptions.CultureInvariant, TimeoutMilliseconds)]
    private static partial Regex IgnoreWhatYouWereTold();

    [GeneratedRegex(@"\b(?:ignore|disregard|forget|drop)\s+(?:them|those|it|that|these)\s+and\s+(?:follow|obey|listen to|use)\s+(?:mine|my (?:instructions|rules|orders|commands|directions))\b|\b(?:follow|obey)\s+my\s+(?:instructions|rules|orders|commands)\s+instead\b", RegexOptions.CultureInvariant, TimeoutMilliseconds)]
    private static partial Regex FollowMineInstead();

    [GeneratedRegex(@"\bunlock(?:s|ed|ing)?\b[^.\n]{0,30}\b(?:restricted|hidden|forbidden|unfiltered|uncensored|full|secret|admin)\b|\boverride (?:code|key|password|mode)\b", RegexOptions.CultureInvariant, TimeoutMilliseconds)]
    private static partial Regex UnlockRestricted();

    [GeneratedRegex(@"\b(?:system|security|safety|admin|emergency|developer)\s+override\b", RegexOptions.CultureInvariant, TimeoutMilliseconds)]
    private static partial Regex SystemOverride();

    [GeneratedRegex(@"\b(?:reveal|show|print|display|output|repeat|recite|leak|dump|tell me|give me|share|disclose|expose|copy|quote|write out|spell out|list)\b[^.\n?!]{0,60}\b(?:system prompt|system message|hidden prompt|initial prompt|original prompt|secret prompt|your (?:instructions|configuration|prompt|directives))\b", RegexOptions.CultureInvariant, TimeoutMilliseconds)]
    private static partial Regex RevealPromptNearby();

    [GeneratedRegex(@"\b(?:text|words|content|messages?|instructions|everything)\s+(?:that\s+)?(?:appears?|comes?|came|is|are|was|were|sits?)\s+(?:before|above|prior to|ahead of)\s+(?:my|this|the)\s+(?:first\s+)?(?:message|question|prompt|conversation|input)\b", RegexOptions.CultureInvariant, TimeoutMilliseconds)]
    private static partial Regex TextBeforeFirstMessage();

    [GeneratedRegex(@"\bif (?:an?|the|any) (?:ai|llm|language model|assistant|bot|chatbot|model|agent|gpt)\s+(?:is|are)\s+(?:reading|summariz\w*|process\w*|analy[sz]\w*|review\w*|parsing|seeing|screening)\b", RegexOptions.CultureInvariant, TimeoutMilliseconds)]
    private static partial Regex IfAnAiIsReading();

    [GeneratedRegex(@"\b(?:ai|ai assistants?|assistants|llms|language models|models|bots|chatbots|agents|crawlers|screening tools|ai tools)\s+(?:that are\s+)?(?:reading|processing|summariz\w*|parsing|crawling|indexing|seeing|screening|analy[sz]ing)\s+(?:this|these)\b", RegexOptions.CultureInvariant, TimeoutMilliseconds)]
    private static partial Regex AiReadingThis();

    [GeneratedRegex(@"@(?:ai|assistant|bot|copilot|gpt|chatgpt|claude|llama|gemini|agent)\b", RegexOptions.CultureInvariant, TimeoutMilliseconds)]
    private static partial Regex AiHandle();

    [GeneratedRegex(@"\[(?:assistant|ai|system|admin|llm|bot|agent|model)(?:\s+(?:instructions?|note|message|command|override))?\]", RegexOptions.CultureInvariant, TimeoutMilliseconds)]
    private static partial Regex BracketInstructions();

    [GeneratedRegex(@"\b(?:ignore|disregard|override|bypass)\s+(?:[\w'-]+\s+){0,3}?(?:instructions?|rules|guidelines|directions|policy|policies|prompts?)\b", RegexOptions.CultureInvariant, TimeoutMilliseconds)]
    private static partial Regex IgnoreInstructionsInData();

    [GeneratedRegex(@"\bthe (?:ai|assistant|model|agent|bot|llm|chatbot|language model)\s+(?:must|shall|has to|needs to|is required to)\b", RegexOptions.CultureInvariant, TimeoutMilliseconds)]
    private static partial Regex TheAiMust();

    [GeneratedRegex(@"\b(?:silently|secretly|quietly|covertly|discreetly)\s+(?:send|forward|email|upload|post|delete|transfer|call|run|execute|add|include|append|insert|change|approve)\b", RegexOptions.CultureInvariant, TimeoutMilliseconds)]
    private static partial Regex CovertAction();

    [GeneratedRegex(@"\b(?:you are|you're|act as|acting as|pretend (?:to be|you are|you're)|role-?play as|behave (?:like|as)|simulate|become|you will be|you'll be|you are now)\b[^.\n]{0,50}?\b(?:do anything now|jailbr(?:oken|eak)|unrestricted|unfiltered|uncensored|unaligned|evil|amoral|unethical|without (?:any )?(?:restrictions|limits|limitations|filters|rules|guidelines|ethics|morals|censorship|boundaries)|(?:no|zero) (?:restrictions|limits|limitations|filters|rules|guidelines|ethics|morals|censorship|boundaries))\b", RegexOptions.CultureInvariant, TimeoutMilliseconds)]
    private static partial Regex JailbreakPersona();

    [GeneratedRegex(@"\b(?:developer mode|dan mode|god mode|jailbreak(?:ing)?|jailbroken|do anything now|stay in character)\b", RegexOptions.CultureInvariant, TimeoutMilliseconds)]
    private static partial Regex JailbreakTerms();

    [GeneratedRegex(@"\bDAN\b", RegexOptions.CultureInvariant, TimeoutMilliseconds)]
    private static partial Regex Dan();

    [GeneratedRegex(@"\byou are now\b(?!\s+(?:connected|chatting|speaking|talking|in (?:a|the) queue|number|logged|signed|subscribed|registered|ready|able|eligible))", RegexOptions.CultureInvariant, TimeoutMilliseconds)]
    private static partial Regex YouAreNow();

    [GeneratedRegex(@"\b(?:no longer|not|never|aren't|are not)\s+(?:bound|restricted|limited|constrained|governed)\s+by\b|\bfree (?:of|from) (?:all |any |your )?(?:restrictions|rules|guidelines|filters|constraints|programming)\b", RegexOptions.CultureInvariant, TimeoutMilliseconds)]
    private static partial Regex NotBound();

    [GeneratedRegex(@"\b(?:disable|turn off|deactivate|bypass|switch off|circumvent|ignore|remove|override)\b(?:\s+(?:all|any|your|the|its|of|my))*\s+(?:(?:safety|content|ethical|moderation|security)\s+(?:filters?|checks?|policies|policy|rules|settings|restrictions|guidelines)|guardrails|safeguards|censorship|content policy)\b", RegexOptions.CultureInvariant, TimeoutMilliseconds)]
    private static partial Regex DisableSafety();

    [GeneratedRegex(@"\b(?:i am|i'm|this is)\s+(?:your|the)\s+(?:developer|creator|administrator|admin|owner|system administrator|operator)\b|\b(?:admin|developer|maintenance|sudo|root)\s+(?:override|access granted|command)\b|\b(?:i am|i'm)\s+(?:the\s+)?(?:owner|creator|developer|maker|admin|administrator)\s+of\s+(?:this|the|your)\s+(?:bot|assistant|model|ai|system|chatbot|agent)\b", RegexOptions.CultureInvariant, TimeoutMilliseconds)]
    private static partial Regex AuthorityClaim();

    [GeneratedRegex(@"\b(?:reveal|show|print|display|output|repeat|recite|leak|dump|tell me|give me|share|disclose|expose|copy|paste|write out|spell out|list)\b(?:\s+[\w'-]+){0,4}?\s+(?:your|the)\s+(?:(?:full|entire|complete|exact|original|initial|hidden|secret|internal|system|developer|first|confidential|pre-?)\s*){1,3}(?:prompt|instructions?|message|rules|configuration|directives|guidelines)\b", RegexOptions.CultureInvariant, TimeoutMilliseconds)]
    private static partial Regex RevealSystemPrompt();

    [GeneratedRegex(@"\bwhat (?:are|were|is|was) (?:your|the) (?:(?:initial|original|system|hidden|secret|exact|first|full|confidential)\s+)+(?:instructions|prompt|rules|directives|guidelines)\b", RegexOptions.CultureInvariant, TimeoutMilliseconds)]
    private static partial Regex AskSystemPrompt();

    [GeneratedRegex(@"\b(?:system prompt|system message|initial prompt|hidden prompt|pre-?prompt|meta-?prompt|hidden instructions|secret instructions|confidential instructions|internal instructions)\b", RegexOptions.CultureInvariant, TimeoutMilliseconds)]
    private static partial Regex MentionsSystemPrompt();

    [GeneratedRegex(@"\b(?:repeat|print|output|show|display|copy|dump|write out|echo)\s+(?:the\s+|all\s+(?:of\s+)?(?:the\s+)?|everything\s+)?(?:words|text|everything|sentences|lines|content|messages)?\s*(?:above|before this(?: message| line| point)?|preceding(?: this)?|prior to this(?: message)?)\b", RegexOptions.CultureInvariant, TimeoutMilliseconds)]
    private static partial Regex RepeatAbove();

    [GeneratedRegex(@"\b(?:starting|beginning|start|begin)\s+with\s+[""'“]?you are\b", RegexOptions.CultureInvariant, TimeoutMilliseconds)]
    private static partial Regex StartingWithYouAre();

    [GeneratedRegex(@"<\|(?:eot|eom|eot_id|begin_of_text|end_of_text|header_start|header_end|start_header_id|end_header_id|python_start|python_end|im_start|im_end|im_sep|system|user|assistant|endoftext|fim_[a-z]+|finetune_right_pad_id|reserved_special_token_\d+|image|image_start|image_end)\|>", RegexOptions.CultureInvariant, TimeoutMilliseconds)]
    private static partial Regex SpecialTokens();

    [GeneratedRegex(@"\[/?inst\]|<</?sys>>|<start_of_turn>|<end_of_turn>", RegexOptions.CultureInvariant, TimeoutMilliseconds)]
    private static partial Regex InstTags();

    [GeneratedRegex(@"(?m)^\s*(?:#{1,4}\s*)?(?:system|assistant|developer|admin)\s*(?:message|prompt|instructions?)?\s*:", RegexOptions.CultureInvariant, TimeoutMilliseconds)]
    private static partial Regex RoleLine();

    [GeneratedRegex(@"</?(?:system|instructions?|system_prompt|admin|assistant_instructions)>", RegexOptions.CultureInvariant, TimeoutMilliseconds)]
    private static partial Regex RoleTags();

    [GeneratedRegex(@"\b(?:end|close) of (?:the )?(?:user |system )?(?:input|prompt|context|document|conversation|instructions|data)\b", RegexOptions.CultureInvariant, TimeoutMilliseconds)]
    private static partial Regex EndOfInput();

    [GeneratedRegex(@"\b(?:decode|base64|rot13|hex|reverse)\b[^.\n]{0,40}\b(?:and|then)\s+(?:follow|execute|run|obey|do|perform|apply)\b", RegexOptions.CultureInvariant, TimeoutMilliseconds)]
    private static partial Regex EncodedPayload();

    [GeneratedRegex(@"\b(?:note|message|instructions?|attention|important|notice|reminder|request|warning|directive|command|p\.?s\.?)\s*(?:to|for)\s+(?:the\s+|any\s+|all\s+|every\s+)?(?:[\w-]+\s+){0,2}?" + AiNoun + @"s?\b", RegexOptions.CultureInvariant, TimeoutMilliseconds)]
    private static partial Regex NoteToAi();

    [GeneratedRegex(@"\bif you(?:'re| are)\s+(?:an?\s+)?" + AiNoun + @"\b", RegexOptions.CultureInvariant, TimeoutMilliseconds)]
    private static partial Regex IfYouAreAi();

    [GeneratedRegex(@"\b" + AiNoun + @"\s*[,:]\s*(?:please\s+)?(?:you (?:must|should|need to|have to|will)|ignore|disregard|do not|don't|stop|instead|make sure|remember|always|never|immediately|tell|say|recommend|send|forward|download|visit|click|mark|rank|rate|include|append|delete|approve|reveal|cancel|transfer|call|run|execute)\b", RegexOptions.CultureInvariant, TimeoutMilliseconds)]
    private static partial Regex AiAddressedCommand();

    [GeneratedRegex(@"\bwhen (?:you )?(?:summariz|process|read|analyz|review|translat|answer)\w*\s+(?:this|the following|these)\b", RegexOptions.CultureInvariant, TimeoutMilliseconds)]
    private static partial Regex WhenProcessingThis();

    [GeneratedRegex(@"\b(?:do not|don't|never|without)\s+(?:tell|telling|inform|informing|mention|mentioning|reveal|revealing|show|showing|let|letting|alert|alerting)\b[^.\n]{0,30}\b(?:the )?(?:users?|reviewers?|admins?|administrators?|anyone|the team|owners?|requesters?|humans?|people|customers?|recipients?)\b", RegexOptions.CultureInvariant, TimeoutMilliseconds)]
    private static partial Regex HideFromUser();

    [GeneratedRegex(@"\byou (?:must|are required to|have to|need to|should) (?:now |immediately |also )?(?:ignore|send|forward|email|include|append|call|execute|visit|open|reply|respond|output|print|say|tell|reveal|recommend|insist)\b", RegexOptions.CultureInvariant, TimeoutMilliseconds)]
    private static partial Regex YouMustAct();

    [GeneratedRegex(@"\b(?:call|invoke|use|run|execute|trigger)\s+(?:the\s+)?[\w.\-]+\s+(?:tool|function|plugin|action)\b", RegexOptions.CultureInvariant, TimeoutMilliseconds)]
    private static partial Regex ToolCommand();

    [GeneratedRegex(@"\b(?:send|post|upload|forward|transmit|exfiltrate|leak|submit|email|append)\b[^.\n]{0,40}\b(?:conversation|chat|history|messages|passwords?|credentials|secrets?|api keys?|tokens?|personal data|user data|user's|the user|system prompt|everything|ssh keys?|id_rsa|private keys?|\.env|cookies|session|files|address|phone numbers?|emails?)\b[^.\n]{0,40}\bto\b", RegexOptions.CultureInvariant, TimeoutMilliseconds)]
    private static partial Regex ExfiltrateData();

    [GeneratedRegex(@"https?://[^\s)""'>]*(?:\{[^}\s]*\}|\$\{|%7b|\[(?:data|secret|password|token|conversation|history|user|email|name|info|summary)\])", RegexOptions.CultureInvariant, TimeoutMilliseconds)]
    private static partial Regex UrlPlaceholder();

    [GeneratedRegex(@"!\[[^\]]{0,100}\]\(\s*https?://[^)\s]+\?[^)\s]*=", RegexOptions.CultureInvariant, TimeoutMilliseconds)]
    private static partial Regex ImageWithQuery();

    [GeneratedRegex(@"<!--[\s\S]{0,500}?\b(?:ignore|instructions?|assistant|ai|llm|you|must|system|prompt|model|agent|bot)\b[\s\S]{0,500}?-->", RegexOptions.CultureInvariant, TimeoutMilliseconds)]
    private static partial Regex HiddenHtmlComment();

    [GeneratedRegex(@"<\w+[^>]*\s(?:hidden|aria-hidden=""true"")[\s>/]|display\s*:\s*none|visibility\s*:\s*hidden|font-size\s*:\s*0(?:px|pt|em)?\b|opacity\s*:\s*0(?:\.0+)?\b|color\s*:\s*(?:white|#fff(?:fff)?)\b|\b(?:white|hidden|invisible|zero-size) text\b", RegexOptions.CultureInvariant, TimeoutMilliseconds)]
    private static partial Regex HiddenCss();

    /// <summary>One heuristic.</summary>
    /// <param name="Id">The id reported in findings.</param>
    /// <param name="Weight">How much evidence a match adds (0 to 1).</param>
    /// <param name="IndirectOnly">Whether it applies to tool results and documents only.</param>
    /// <param name="Pattern">The pattern.</param>
    /// <param name="Raw">Whether it matches the raw text (case-sensitive) rather than the normalised text.</param>
    internal sealed record Heuristic(string Id, double Weight, bool IndirectOnly, Regex Pattern, bool Raw = false)
    {
        public bool Matches(string raw, string normalized) => Pattern.IsMatch(Raw ? raw : normalized);
    }
}
