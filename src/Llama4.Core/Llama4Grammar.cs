namespace Llama4.Core;

/// <summary>A GBNF grammar (llama.cpp's grammar format) that constrains every sampled token of a generation.</summary>
/// <param name="Gbnf">The grammar text.</param>
/// <param name="Root">The name of the start rule.</param>
public sealed record Llama4Grammar(string Gbnf, string Root = "root");
