using Llama4.Core;
using Microsoft.Extensions.Options;

namespace Llama4.Extensions.AI;

/// <summary>Runs <see cref="Llama4EngineOptions.Validate"/> for the options pattern.</summary>
internal sealed class Llama4EngineOptionsValidator : IValidateOptions<Llama4EngineOptions>
{
    public ValidateOptionsResult Validate(string? name, Llama4EngineOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = options.Validate();
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
