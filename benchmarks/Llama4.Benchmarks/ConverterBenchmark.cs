using System.Diagnostics;
using System.Text.Json;
using Llama4.Benchmarks.Cli;
using Llama4.Benchmarks.Measurement;
using Llama4.Benchmarks.Workload;
using Llama4.Core;
using Llama4.Core.Grammars;
using Llama4.Core.ToolCalling;

namespace Llama4.Benchmarks;

/// <summary>
/// Times the managed grammar pipeline that runs on the caller's thread for every constrained request, before anything
/// reaches llama.cpp: JSON Schema to GBNF (<see cref="GbnfGrammarBuilder"/>), the GBNF validator that guards llama.cpp's
/// parser, and the tool-call grammar set. No model is loaded.
/// </summary>
internal static class ConverterBenchmark
{
    public const string Convert = "AddJsonSchema, 50-property schema (conversion only)";

    public const string ConvertAndBuild = "AddJsonSchema + Build, 50-property schema (Build validates)";

    public const string Validate = "GbnfValidator.Validate, 50-property grammar";

    public const string BoundedJsonResponse = "ToolCallGrammarSet.ForJsonResponse, constrained suite's schema";

    public const string ToolSetRequired = "ToolCallGrammarSet.Create, 3 tools, Required";

    public const string ToolSetAuto = "ToolCallGrammarSet.Create, 3 tools, Auto";

    public const string ToolSetValidate = "GbnfValidator.Validate, 3-tool call grammar";

    public const string FiftyPropertyGrammar = "50-property schema";

    public const string BoundedGrammar = "constrained suite's JSON schema";

    public const string ToolGrammar = "3-tool required call (AfterMarker)";

    public static ConverterResults Run(BenchmarkOptions options, TextWriter log)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(log);
        var started = Stopwatch.GetTimestamp();
        var load = new MachineLoadProbe();
        var settings = options.Quick ? MicroBenchmarkSettings.Quick : MicroBenchmarkSettings.Full;
        log.WriteLine("== converter: JSON Schema to GBNF, GBNF validation, tool-call grammars (no model)");

        var schema = ConverterSchema.Create();
        using var boundedDocument = JsonDocument.Parse(ConstrainedWorkload.ResponseSchemaJson);
        var bounded = new Llama4JsonResponse(boundedDocument.RootElement.Clone());
        var tools = BenchmarkTools.ToLlama4(Llama4ToolMode.Auto);
        var requiredTools = BenchmarkTools.ToLlama4(Llama4ToolMode.Required);

        var fifty = BuildFiftyPropertyGrammar(schema);
        var toolGrammar = ToolCallGrammarSet.Create(requiredTools).Required!;
        var boundedGrammar = ToolCallGrammarSet.ForJsonResponse(bounded, tools: null);

        var operations = MicroBenchmark.MeasureAll(
            [
                (Convert, () => new GbnfGrammarBuilder().AddJsonSchema(schema, "x")),
                (ConvertAndBuild, () => BuildFiftyPropertyGrammar(schema)),
                (Validate, () => GbnfValidator.Validate(fifty.Gbnf, fifty.Root)),
                (BoundedJsonResponse, () => ToolCallGrammarSet.ForJsonResponse(bounded, tools: null)),
                (ToolSetRequired, () => ToolCallGrammarSet.Create(requiredTools)),
                (ToolSetAuto, () => ToolCallGrammarSet.Create(tools)),
                (ToolSetValidate, () => GbnfValidator.Validate(toolGrammar.Gbnf, toolGrammar.Root)),
            ],
            settings,
            log);

        return new ConverterResults(
            operations,
            [(FiftyPropertyGrammar, GrammarSize.Of(fifty)), (BoundedGrammar, GrammarSize.Of(boundedGrammar)), (ToolGrammar, GrammarSize.Of(toolGrammar))],
            settings,
            DateTimeOffset.UtcNow,
            Stopwatch.GetElapsedTime(started),
            load.OtherProcessesCores());
    }

    /// <summary>What the brief's converter call is: one builder, the schema, and Build with its validation.</summary>
    public static Llama4Grammar BuildFiftyPropertyGrammar(JsonElement schema)
    {
        var builder = new GbnfGrammarBuilder();
        return builder.Build(builder.AddJsonSchema(schema, "x"));
    }
}
