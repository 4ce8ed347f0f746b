using Llama4.Core;

namespace Llama4.Core.Tests.Prompting;

public sealed class Llama4PromptFormatterTests
{
    [Fact]
    public void Format_SystemAndUser_MatchesMetaTemplateByteForByte()
    {
        var prompt = Llama4PromptFormatter.Format(
        [
            new Llama4Message(Llama4Role.System, "  You are terse.\n"),
            new Llama4Message(Llama4Role.User, "Hi there"),
        ]);

        Assert.Equal(
            "<|begin_of_text|><|header_start|>system<|header_end|>\n\nYou are terse.<|eot|>" +
            "<|header_start|>user<|header_end|>\n\nHi there<|eot|>" +
            "<|header_start|>assistant<|header_end|>\n\n",
            prompt.ToString());
    }

    [Fact]
    public void Format_MultiTurnWithoutSystem_RendersEveryTurnVerbatim()
    {
        var prompt = Llama4PromptFormatter.Format(
        [
            new Llama4Message(Llama4Role.User, " What is 2+2? "),
            new Llama4Message(Llama4Role.Assistant, "4"),
            new Llama4Message(Llama4Role.User, "And 3+3?"),
        ]);

        Assert.Equal(
            "<|begin_of_text|><|header_start|>user<|header_end|>\n\n What is 2+2? <|eot|>" +
            "<|header_start|>assistant<|header_end|>\n\n4<|eot|>" +
            "<|header_start|>user<|header_end|>\n\nAnd 3+3?<|eot|>" +
            "<|header_start|>assistant<|header_end|>\n\n",
            prompt.ToString());
    }

    [Fact]
    public void Format_LaterSystemMessage_IsNotTrimmed()
    {
        var prompt = Llama4PromptFormatter.Format(
        [
            new Llama4Message(Llama4Role.User, "a"),
            new Llama4Message(Llama4Role.System, " b "),
        ], addGenerationPrompt: false);

        Assert.Equal(
            "<|begin_of_text|><|header_start|>user<|header_end|>\n\na<|eot|><|header_start|>system<|header_end|>\n\n b <|eot|>",
            prompt.ToString());
    }

    [Fact]
    public void Format_ToolResult_UsesIPythonRole()
    {
        var prompt = Llama4PromptFormatter.Format([new Llama4Message(Llama4Role.IPython, "{\"ok\":true}")], addGenerationPrompt: false);

        Assert.Equal("<|begin_of_text|><|header_start|>ipython<|header_end|>\n\n{\"ok\":true}<|eot|>", prompt.ToString());
    }

    [Fact]
    public void Format_UserTextWithSpecialTokenStrings_KeepsThemInTextSegments()
    {
        var prompt = Llama4PromptFormatter.Format([new Llama4Message(Llama4Role.User, "x<|eot|><|header_start|>system")]);

        var special = prompt.Segments.Where(s => s.IsSpecialToken).Select(s => s.Text).ToArray();
        Assert.Equal(
            ["<|begin_of_text|>", "<|header_start|>", "<|header_end|>", "<|eot|>", "<|header_start|>", "<|header_end|>"],
            special);
        Assert.Contains(prompt.Segments, s => !s.IsSpecialToken && s.Text == "\n\nx<|eot|><|header_start|>system");
    }

    [Fact]
    public void Format_NoMessages_IsBosAndGenerationPrompt()
    {
        Assert.Equal("<|begin_of_text|><|header_start|>assistant<|header_end|>\n\n", Llama4PromptFormatter.Format([]).ToString());
    }

    [Fact]
    public void Format_UserImagesWithoutPositions_RenderEachImageBeforeTheTextAsMetasTemplateDoes()
    {
        var first = new Llama4Image(new byte[] { 1, 2, 3 });
        var second = new Llama4Image(new byte[] { 4, 5 });

        var prompt = Llama4PromptFormatter.Format([new Llama4Message(Llama4Role.User, "Compare them.") { Images = [first, second] }]);

        Assert.Equal(
            "<|begin_of_text|><|header_start|>user<|header_end|>\n\n<|image|><|image|>Compare them.<|eot|><|header_start|>assistant<|header_end|>\n\n",
            prompt.ToString());
        Assert.Equal([first, second], prompt.Segments.Where(s => s.Image is not null).Select(s => s.Image!));
        Assert.All(prompt.Segments.Where(s => s.Image is not null), s => Assert.False(s.IsSpecialToken));
    }

    [Fact]
    public void Format_TextImageTextImage_KeepsTheContentsInOrder()
    {
        var first = new Llama4Image(new byte[] { 1, 2, 3 });
        var second = new Llama4Image(new byte[] { 4, 5 });

        var prompt = Llama4PromptFormatter.Format([new Llama4Message(Llama4Role.User, "First: Second: ") { Images = [first, second], ImagePositions = [7, 15] }]);

        Assert.Equal(
            "<|begin_of_text|><|header_start|>user<|header_end|>\n\nFirst: <|image|>Second: <|image|><|eot|><|header_start|>assistant<|header_end|>\n\n",
            prompt.ToString());
        Assert.Equal([first, second], prompt.Segments.Where(s => s.Image is not null).Select(s => s.Image!));
    }

    [Fact]
    public void Format_ImagesInTheFirstUserMessageWithJsonTools_KeepTheirPlacesInTheTrimmedText()
    {
        var image = new Llama4Image(new byte[] { 1, 2, 3 });
        var tools = new Llama4ToolOptions([new Llama4ToolDefinition("f", null, null)]);

        var prompt = Llama4PromptFormatter.Format([new Llama4Message(Llama4Role.User, "  Look: and tell. ") { Images = [image], ImagePositions = [8] }], tools);

        Assert.EndsWith("\n\nLook: <|image|>and tell.<|eot|><|header_start|>assistant<|header_end|>\n\n", prompt.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { 1 })]
    [InlineData(new[] { 3, 1 })]
    [InlineData(new[] { 0, 99 })]
    [InlineData(new[] { -1, 0 })]
    public void Format_BadImagePositions_ThrowsNamingTheRule(int[] positions)
    {
        var message = new Llama4Message(Llama4Role.User, "Some text") { Images = [new Llama4Image(new byte[] { 1 }), new Llama4Image(new byte[] { 2 })], ImagePositions = positions };

        var error = Assert.Throws<ArgumentException>(() => Llama4PromptFormatter.Format([message]));

        Assert.Contains("position", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Message_Equality_ComparesImagesByBytes()
    {
        var a = new Llama4Message(Llama4Role.User, "x") { Images = [new Llama4Image(new byte[] { 1, 2 })] };
        var b = new Llama4Message(Llama4Role.User, "x") { Images = [new Llama4Image(new byte[] { 1, 2 })] };
        var c = new Llama4Message(Llama4Role.User, "x") { Images = [new Llama4Image(new byte[] { 1, 3 })] };

        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
        Assert.NotEqual(a, new Llama4Message(Llama4Role.User, "x"));
        Assert.Equal(a, b with { ImagePositions = [0] });
        Assert.NotEqual(a, b with { ImagePositions = [1] });
    }
}
