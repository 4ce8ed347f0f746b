using Microsoft.Extensions.AI;

namespace Llama4.Moderation.Tests.LlamaGuard;

public sealed class LlamaGuardPromptTests
{
    [Fact]
    public void Build_UserTextWithHistory_MatchesMetasLayout()
    {
        var categories = LlamaGuardCategory.Defaults.Take(2).ToList();

        var prompt = LlamaGuardPrompt.Build(categories, [(false, "Hi"), (true, "Hello! ")], "How do I pick a lock?", agent: false);

        Assert.Equal(
            "Task: Check if there is unsafe content in 'User' messages in conversations according to our safety policy with the below categories.\n\n" +
            "<BEGIN UNSAFE CONTENT CATEGORIES>\nS1: Violent Crimes.\nS2: Non-Violent Crimes.\n<END UNSAFE CONTENT CATEGORIES>\n\n" +
            "<BEGIN CONVERSATION>\n\nUser: Hi\n\nAgent: Hello!\n\nUser: How do I pick a lock?\n\n<END CONVERSATION>\n\n" +
            "Provide your safety assessment for ONLY THE LAST User message in the above conversation:\n" +
            "- First line must read 'safe' or 'unsafe'.\n" +
            "- If unsafe, a second line must include a comma-separated list of violated categories.",
            prompt);
    }

    [Fact]
    public void Build_AssistantText_AsksAboutTheLastAgentMessage()
    {
        var prompt = LlamaGuardPrompt.Build(LlamaGuardCategory.Defaults, [], "Sure, here is how.", agent: true);

        Assert.Contains("unsafe content in 'Agent' messages", prompt, StringComparison.Ordinal);
        Assert.Contains("Agent: Sure, here is how.\n\n<END CONVERSATION>", prompt, StringComparison.Ordinal);
        Assert.Contains("ONLY THE LAST Agent message", prompt, StringComparison.Ordinal);
        Assert.Contains("S14: Code Interpreter Abuse.\n<END UNSAFE CONTENT CATEGORIES>", prompt, StringComparison.Ordinal);
    }

    [Fact]
    public void Turns_History_KeepsTheLastUserAndAssistantTexts()
    {
        List<ChatMessage> history = [new(ChatRole.System, "sys"), new(ChatRole.User, "a"), new(ChatRole.Assistant, "b"), new(ChatRole.Tool, "t"), new(ChatRole.User, "c")];

        var turns = LlamaGuardPrompt.Turns(history, max: 2);

        Assert.Equal([(true, "b"), (false, "c")], turns);
    }

    [Fact]
    public void Grammar_Categories_AllowsExactlyTheVerdictFormat()
    {
        var grammar = LlamaGuardPrompt.Grammar([LlamaGuardCategory.Defaults[0], new LlamaGuardCategory("S15", "Medical advice.", ModerationCategory.Custom)]);

        Assert.Equal("root ::= \"safe\" | \"unsafe\\n\" code (\",\" code){0,1}\ncode ::= \"S1\" | \"S15\"\n", grammar.Gbnf);
        Assert.Equal("root", grammar.Root);
    }

    [Theory]
    [InlineData("safe", new ModerationCategory[0])]
    [InlineData("unsafe\nS1", new[] { ModerationCategory.ViolentCrimes })]
    [InlineData("unsafe\nS10,S1,S10", new[] { ModerationCategory.Hate, ModerationCategory.ViolentCrimes })]
    [InlineData("unsafe\nS14", new[] { ModerationCategory.CodeInterpreterAbuse })]
    public void Parse_Verdicts_MapsCategories(string output, ModerationCategory[] expected)
    {
        var verdict = LlamaGuardPrompt.Parse(output, LlamaGuardCategory.Defaults);

        Assert.Equal(expected.Length == 0 ? ModerationAction.Allow : ModerationAction.Block, verdict.Action);
        Assert.Equal(expected, verdict.Categories);
    }

    [Theory]
    [InlineData("unsafe\nS15")]
    [InlineData("maybe")]
    [InlineData("unsafe\n")]
    public void Parse_NotAVerdict_Throws(string output) =>
        Assert.Throws<InvalidOperationException>(() => LlamaGuardPrompt.Parse(output, LlamaGuardCategory.Defaults));

    [Fact]
    public void Options_InvalidCodes_AreReported()
    {
        var options = new LlamaGuardModeratorOptions();
        options.Categories.Add(new LlamaGuardCategory("S1", "Duplicate.", ModerationCategory.Custom));
        options.Categories.Add(new LlamaGuardCategory("X9", "Bad code.", ModerationCategory.Custom));

        var errors = options.Validate();

        Assert.Contains(errors, e => e.Contains("S1 is listed twice", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("'X9' is invalid", StringComparison.Ordinal));
    }
}
