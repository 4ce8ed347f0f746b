namespace Llama4.Moderation.Internal;

/// <summary>Text in the form rules match, plus what the normalisation removed.</summary>
/// <param name="Text">The normalised text.</param>
/// <param name="InvisibleCharacters">Format characters removed (zero-width spaces, bidirectional overrides...).</param>
/// <param name="TagCharacters">Unicode tag characters decoded into ASCII (hidden-text smuggling).</param>
internal readonly record struct NormalizedText(string Text, int InvisibleCharacters, int TagCharacters);
