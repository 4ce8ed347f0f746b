using Microsoft.Extensions.Options;

namespace Llama4.Extensions.AI.ChatReduction;

/// <summary>Runs the reducers' option checks for the options pattern.</summary>
internal sealed class ChatReducerOptionsValidator : IValidateOptions<Llama4TruncatingChatReducerOptions>, IValidateOptions<Llama4SummarizingChatReducerOptions>
{
    public ValidateOptionsResult Validate(string? name, Llama4TruncatingChatReducerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return Result(options.Validate());
    }

    public ValidateOptionsResult Validate(string? name, Llama4SummarizingChatReducerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return Result(options.Validate());
    }

    private static ValidateOptionsResult Result(IReadOnlyList<string> errors) =>
        errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
}
