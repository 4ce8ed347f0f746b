using System.Collections.ObjectModel;
using System.Globalization;

namespace Llama4.TinyModel;

/// <summary>
/// The 1,144 special tokens of Meta's Llama 4 tokenizer, in their real order. In Meta's models they take the ids
/// 200000..201143 (<c>&lt;|begin_of_text|&gt;</c> = 200000); in a tiny model they follow the ordinary tokens, keeping the
/// same offsets from <see cref="BeginOfText"/>.
/// </summary>
public static class TinyModelSpecialTokens
{
    /// <summary><c>&lt;|begin_of_text|&gt;</c> (offset 0): the BOS token.</summary>
    public const string BeginOfText = "<|begin_of_text|>";

    /// <summary><c>&lt;|end_of_text|&gt;</c> (offset 1).</summary>
    public const string EndOfText = "<|end_of_text|>";

    /// <summary><c>&lt;|header_start|&gt;</c> (offset 5): opens a role header.</summary>
    public const string HeaderStart = "<|header_start|>";

    /// <summary><c>&lt;|header_end|&gt;</c> (offset 6): closes a role header.</summary>
    public const string HeaderEnd = "<|header_end|>";

    /// <summary><c>&lt;|eom|&gt;</c> (offset 7): end of message (the model expects a tool result next).</summary>
    public const string EndOfMessage = "<|eom|>";

    /// <summary><c>&lt;|eot|&gt;</c> (offset 8): end of turn.</summary>
    public const string EndOfTurn = "<|eot|>";

    /// <summary><c>&lt;|python_start|&gt;</c> (offset 16).</summary>
    public const string PythonStart = "<|python_start|>";

    /// <summary><c>&lt;|python_end|&gt;</c> (offset 17).</summary>
    public const string PythonEnd = "<|python_end|>";

    /// <summary><c>&lt;|finetune_right_pad|&gt;</c> (offset 18): the padding token.</summary>
    public const string FinetuneRightPad = "<|finetune_right_pad|>";

    /// <summary><c>&lt;|image_start|&gt;</c> (offset 80).</summary>
    public const string ImageStart = "<|image_start|>";

    /// <summary><c>&lt;|image_end|&gt;</c> (offset 81).</summary>
    public const string ImageEnd = "<|image_end|>";

    /// <summary><c>&lt;|image|&gt;</c> (offset 90).</summary>
    public const string Image = "<|image|>";

    /// <summary><c>&lt;|patch|&gt;</c> (offset 92).</summary>
    public const string Patch = "<|patch|>";

    private static readonly ReadOnlyCollection<string> Tokens = Build();

    private static readonly Dictionary<string, int> Offsets = Tokens
        .Select((token, index) => (token, index))
        .ToDictionary(pair => pair.token, pair => pair.index, StringComparer.Ordinal);

    /// <summary>All special tokens in Meta's order (1,144 entries).</summary>
    public static IReadOnlyList<string> All => Tokens;

    /// <summary>The offset of <paramref name="token"/> from <see cref="BeginOfText"/>, or -1 when it is not special.</summary>
    /// <param name="token">The token text, e.g. <c>&lt;|eot|&gt;</c>.</param>
    /// <returns>The zero-based position in <see cref="All"/>, or -1.</returns>
    public static int OffsetOf(string token) => Offsets.TryGetValue(token, out int offset) ? offset : -1;

    private static ReadOnlyCollection<string> Build()
    {
        var tokens = new List<string>(1144)
        {
            BeginOfText,
            EndOfText,
            "<|fim_prefix|>",
            "<|fim_middle|>",
            "<|fim_suffix|>",
            HeaderStart,
            HeaderEnd,
            EndOfMessage,
            EndOfTurn,
            "<|step|>",
        };
        AddRange(tokens, "text_post_train_reserved_special_token", 0, 5);
        tokens.Add(PythonStart);
        tokens.Add(PythonEnd);
        tokens.Add(FinetuneRightPad);
        AddRange(tokens, "text_post_train_reserved_special_token", 6, 66);
        tokens.Add(ImageStart);
        tokens.Add(ImageEnd);
        AddRange(tokens, "vision_reserved_special_token", 0, 1);
        tokens.Add("<|tile_x_separator|>");
        tokens.Add("<|tile_y_separator|>");
        AddRange(tokens, "vision_reserved_special_token", 2, 5);
        tokens.Add(Image);
        AddRange(tokens, "vision_reserved_special_token", 6, 6);
        tokens.Add(Patch);
        AddRange(tokens, "vision_reserved_special_token", 7, 1047);
        AddRange(tokens, "reasoning_reserved_special_token", 0, 7);
        tokens.Add("<|reasoning_thinking_start|>");
        tokens.Add("<|reasoning_thinking_end|>");
        return tokens.AsReadOnly();
    }

    private static void AddRange(List<string> tokens, string stem, int first, int last)
    {
        for (int i = first; i <= last; i++)
        {
            tokens.Add(string.Create(CultureInfo.InvariantCulture, $"<|{stem}_{i}|>"));
        }
    }
}
