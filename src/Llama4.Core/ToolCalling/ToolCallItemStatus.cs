namespace Llama4.Core.ToolCalling;

/// <summary>The outcome of reading one call item (an object, a list, a tag, a bare call).</summary>
internal enum ToolCallItemStatus
{
    /// <summary>The item is not finished: hold it back.</summary>
    NeedMore,

    /// <summary>At least one call was read.</summary>
    Calls,

    /// <summary>No call could be read: the item's text is released as text.</summary>
    Failed,
}
