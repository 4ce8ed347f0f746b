using System.ComponentModel.DataAnnotations;

/// <summary>One next step; a record so that its length limit lands in the schema.</summary>
internal sealed record Step([property: StringLength(60, MinimumLength = 1)] string Action)
{
    public override string ToString() => Action;
}
