namespace Llama4.Extensions.AI.ChatReduction;

/// <summary>The checks both reducers' options share.</summary>
internal static class ReducerOptionsValidation
{
    public static List<string> Validate(int tokenBudget, int? targetTokens)
    {
        var errors = new List<string>();
        if (tokenBudget < 1)
        {
            errors.Add($"TokenBudget is {tokenBudget}; set it to the most tokens the reduced history may take in the prompt " +
                "(at most the context size minus MaxOutputTokens and the tool-definition tokens).");
        }
        else if (targetTokens is { } target && (target < 1 || target > tokenBudget))
        {
            errors.Add($"TargetTokens is {target}; it must be between 1 and TokenBudget ({tokenBudget}), or null for half the budget.");
        }

        return errors;
    }
}
