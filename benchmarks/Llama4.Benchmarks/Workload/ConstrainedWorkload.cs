using System.Text.Json;
using Llama4.Core;
using Llama4.Core.ToolCalling;
using LLama.Native;
using Microsoft.Extensions.AI;

namespace Llama4.Benchmarks.Workload;

/// <summary>
/// The requests of the constrained-generation suite: the throughput suite's prompt, sampling, output limit and seeds,
/// generated free, as JSON valid against <see cref="ResponseSchema"/>, and as a required call of one of
/// <see cref="BenchmarkTools.All"/>. A tool prompt lists the tools, so it is longer: its free-text baseline decodes
/// exactly the same prompt tokens without constraining the output.
/// </summary>
internal sealed class ConstrainedWorkload
{
    /// <summary>
    /// A realistic bounded schema: a few strings with maxLength, an enum, a bounded integer and an array with maxItems,
    /// short enough that a complete object usually fits in the output limit.
    /// </summary>
    public const string ResponseSchemaJson = """
        {
          "type": "object",
          "properties": {
            "title": { "type": "string", "minLength": 1, "maxLength": 24 },
            "category": { "type": "string", "enum": ["bug", "feature", "question", "documentation"] },
            "severity": { "type": "integer", "minimum": 1, "maximum": 5 },
            "summary": { "type": "string", "maxLength": 48 },
            "tags": { "type": "array", "items": { "type": "string", "maxLength": 12 }, "maxItems": 3 }
          },
          "required": ["title", "category", "severity", "summary", "tags"],
          "additionalProperties": false
        }
        """;

    public ConstrainedWorkload(Llama4Engine engine, BenchmarkWorkload workload)
    {
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(workload);
        Workload = workload;
        using (var document = JsonDocument.Parse(ResponseSchemaJson))
        {
            ResponseSchema = document.RootElement.Clone();
        }

        ToolOptions = BenchmarkTools.ToLlama4(Llama4ToolMode.Required);
        ToolPrompt = Llama4PromptFormatter.Format(BenchmarkWorkload.Llama4Messages, ToolOptions);
        ToolPromptTokens = engine.TokenizePrompt(ToolPrompt);
        JsonGrammar = ToolCallGrammarSet.ForJsonResponse(new Llama4JsonResponse(ResponseSchema), tools: null);
        ToolGrammar = ToolCallGrammarSet.Create(ToolOptions).Required
            ?? throw new InvalidOperationException("A Required tool set has no Required grammar.");
    }

    public BenchmarkWorkload Workload { get; }

    public JsonElement ResponseSchema { get; }

    /// <summary>Gets the tools as the engine sees them, Required mode (any tool, one call).</summary>
    public Llama4ToolOptions ToolOptions { get; }

    /// <summary>Gets the workload's messages formatted with <see cref="ToolOptions"/> (the tools listed in the first user message).</summary>
    public Llama4Prompt ToolPrompt { get; }

    public LLamaToken[] ToolPromptTokens { get; }

    /// <summary>Gets the grammar the engine builds for a JSON reply with <see cref="ResponseSchema"/>.</summary>
    public Llama4Grammar JsonGrammar { get; }

    /// <summary>Gets the grammar the engine builds for a required call of one of the tools.</summary>
    public Llama4Grammar ToolGrammar { get; }

    public Llama4GenerationRequest Unconstrained(int requestIndex) => Request(Llama4PromptFormatter.Format(BenchmarkWorkload.Llama4Messages), requestIndex);

    public Llama4GenerationRequest Json(int requestIndex) => Unconstrained(requestIndex) with { JsonResponse = new Llama4JsonResponse(ResponseSchema) };

    /// <summary>The tool prompt, generated free: the request carries no tools, so nothing is parsed or constrained.</summary>
    public Llama4GenerationRequest ToolPromptUnconstrained(int requestIndex) => Request(ToolPrompt, requestIndex);

    public Llama4GenerationRequest RequiredToolCall(int requestIndex) => ToolPromptUnconstrained(requestIndex) with { Tools = ToolOptions };

    public ChatOptions ClientUnconstrained(int requestIndex) =>
        Workload.Sampling.ToLlama4ChatOptions(Workload.MaxOutputTokens, BenchmarkWorkload.SeedFor(requestIndex));

    public ChatOptions ClientJson(int requestIndex)
    {
        var options = ClientUnconstrained(requestIndex);
        options.ResponseFormat = ChatResponseFormat.ForJsonSchema(ResponseSchema, "ticket", "A triaged support ticket.");
        return options;
    }

    /// <summary>The tools offered in Auto mode: the same prompt as a required call, output free unless the model opens a call.</summary>
    public ChatOptions ClientToolsAuto(int requestIndex)
    {
        var options = ClientUnconstrained(requestIndex);
        options.Tools = [.. BenchmarkTools.All];
        options.ToolMode = ChatToolMode.Auto;
        return options;
    }

    public ChatOptions ClientRequiredToolCall(int requestIndex)
    {
        var options = ClientToolsAuto(requestIndex);
        options.ToolMode = ChatToolMode.RequireAny;
        return options;
    }

    private Llama4GenerationRequest Request(Llama4Prompt prompt, int requestIndex) => new(prompt)
    {
        Sampling = Workload.Sampling.ToLlama4(BenchmarkWorkload.SeedFor(requestIndex)),
        MaxOutputTokens = Workload.MaxOutputTokens,
    };
}
