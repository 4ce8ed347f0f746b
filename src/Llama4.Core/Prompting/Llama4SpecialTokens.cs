namespace Llama4.Core;

/// <summary>The text of the Llama 4 special tokens the library writes or reacts to. Ids are always resolved from the model's vocabulary by these texts.</summary>
public static class Llama4SpecialTokens
{
    /// <summary>Beginning of text (BOS).</summary>
    public const string BeginOfText = "<|begin_of_text|>";

    /// <summary>End of text.</summary>
    public const string EndOfText = "<|end_of_text|>";

    /// <summary>Opens a turn header.</summary>
    public const string HeaderStart = "<|header_start|>";

    /// <summary>Closes a turn header.</summary>
    public const string HeaderEnd = "<|header_end|>";

    /// <summary>End of message: the model expects a tool result next.</summary>
    public const string EndOfMessage = "<|eom|>";

    /// <summary>End of turn.</summary>
    public const string EndOfTurn = "<|eot|>";

    /// <summary>Opens a tool call.</summary>
    public const string PythonStart = "<|python_start|>";

    /// <summary>Closes a tool call.</summary>
    public const string PythonEnd = "<|python_end|>";

    /// <summary>
    /// Where an image goes in a rendered prompt (as Meta's chat template writes it); in the tokens the engine decodes, the
    /// marker that precedes the overview tile (see <see cref="TileXSeparator"/>).
    /// </summary>
    public const string Image = "<|image|>";

    /// <summary>Separates two tiles of one row of an image's grid.</summary>
    public const string TileXSeparator = "<|tile_x_separator|>";

    /// <summary>Closes each row of an image's grid.</summary>
    public const string TileYSeparator = "<|tile_y_separator|>";

    /// <summary>Opens an image's tokens.</summary>
    public const string ImageStart = "<|image_start|>";

    /// <summary>Closes an image's tokens.</summary>
    public const string ImageEnd = "<|image_end|>";
}
