namespace CodingAgent.Agent;

/// <summary>How the coding agent is put together.</summary>
/// <param name="MaxOutputTokens">The most tokens one model call may generate.</param>
/// <param name="DemoModel">Whether the model is the random-weight demo model (tools get the tightened demo schemas).</param>
/// <param name="CommandTimeLimit">How long <c>dotnet build</c> / <c>dotnet test</c> may run.</param>
/// <param name="MaxCommandOutputCharacters">How many characters of a command's output the model reads.</param>
/// <param name="MaxToolRoundsPerRun">The most model-tool round trips in one agent run.</param>
/// <param name="Seed">A sampling seed for repeatable runs; <see langword="null"/> for a fresh one per request.</param>
internal sealed record CodingAgentSettings(
    int MaxOutputTokens,
    bool DemoModel,
    TimeSpan CommandTimeLimit,
    int MaxCommandOutputCharacters,
    int MaxToolRoundsPerRun,
    long? Seed);
