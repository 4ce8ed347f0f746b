using System.Text;

namespace Llama4.Core.ToolCalling;

/// <summary>
/// Separates tool calls from text in a Llama 4 output stream. Feed every generated piece to <see cref="Append"/> and
/// call <see cref="Complete"/> when generation ends.
/// </summary>
/// <remarks>
/// <para>
/// A call starts only on the model's call signals: the <c>&lt;|python_start|&gt;</c> token (anywhere); at the start
/// of a line (leading spaces and tabs allowed) a JSON object whose first key is <c>"name"</c> (optionally after
/// <c>"type": "function"</c>) naming an offered tool, a list <c>[{"name": ...</c> of such objects, or a pythonic list
/// <c>[name(</c> whose first element calls an offered tool (by real name or alias); and <c>&lt;function=name&gt;</c>
/// for an offered tool. Inside a Markdown code fence only <c>&lt;|python_start|&gt;</c> starts a call. Any other
/// <c>[</c> or <c>{</c> is text, released at once.
/// </para>
/// <para>
/// Text is released as soon as it cannot be a call's beginning. A call is held until it is complete and is then
/// returned once, whole; nothing of it is released as text. A call that turns out malformed, unfinished, refers to a
/// tool that was not offered, or uses positional pythonic arguments comes back verbatim as text (the
/// <c>&lt;|python_start|&gt;</c>/<c>&lt;|python_end|&gt;</c> markers removed), with a warning. Separators after a
/// call (whitespace, <c>;</c>, <c>&lt;|python_end|&gt;</c>, <c>&lt;|eot|&gt;</c>, <c>&lt;|eom|&gt;</c>,
/// <c>&lt;|end_of_text|&gt;</c>) are dropped; other text after a call is kept.
/// </para>
/// <para>
/// Order: text that follows a call is never returned by the same <see cref="Append"/> as that call (it comes with the
/// next <see cref="Append"/> or with <see cref="Complete"/>), so in an <see cref="Append"/> result the text precedes
/// the calls. <see cref="Complete"/> returns everything left; its text precedes its calls unless the last pieces held
/// text, a call, and more text after it (then that text is part of <see cref="ToolCallParseResult.Text"/> too).
/// </para>
/// <para>The output (text, calls, warnings) does not depend on how the stream is cut into pieces. Not thread-safe:
/// one parser per generated reply. After <see cref="Complete"/> the parser is ready for a new reply.</para>
/// </remarks>
internal sealed class ToolCallStreamParser
{
    private static readonly string[] GapNoise = ["<|eot|>", "<|eom|>", "<|end_of_text|>", BracketScanner.PythonEnd];

    private readonly ToolNameTable _names;
    private readonly StringBuilder _pending = new();
    private readonly List<ToolCallSegment> _deferred = [];
    private ToolCallScanMode _mode = ToolCallScanMode.Text;
    private bool _atLineStart = true;
    private bool _forcedNext;
    private char _fenceChar;
    private int _fenceLength;

    // When the parser is holding an unfinished call, the characters that could change that; null: any character.
    private string? _wakeChars;

    /// <summary>Initializes a new instance of the <see cref="ToolCallStreamParser"/> class.</summary>
    /// <param name="offeredToolNames">The names of the tools offered to the model (any strings). Pythonic calls may
    /// also use the aliases of <see cref="ToolNameAliases.Create"/>.</param>
    public ToolCallStreamParser(IReadOnlyList<string> offeredToolNames)
    {
        _names = new ToolNameTable(offeredToolNames);
    }

    /// <summary>Gets tool name to the pythonic alias this parser accepts for it.</summary>
    public IReadOnlyDictionary<string, string> Aliases => _names.Aliases;

    /// <summary>Feeds the next generated piece.</summary>
    /// <param name="text">The piece (any length, split anywhere, even between a surrogate pair).</param>
    /// <returns>The text that can be emitted now and the calls completed by this piece.</returns>
    public ToolCallParseResult Append(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        _pending.Append(text);

        // An unfinished bracketed call can only finish on a closing bracket or <|python_end|>: skip the rescan.
        if (_wakeChars is not null && _deferred.Count == 0 && text.AsSpan().IndexOfAny(_wakeChars) < 0)
        {
            return ToolCallParseResult.Empty;
        }

        return Process(final: false);
    }

    /// <summary>Ends the reply: releases everything held. An unfinished call comes back as text with a warning.</summary>
    /// <returns>The remaining text and calls.</returns>
    public ToolCallParseResult Complete()
    {
        var result = Process(final: true);
        _pending.Clear();
        _deferred.Clear();
        _mode = ToolCallScanMode.Text;
        _atLineStart = true;
        _forcedNext = false;
        _fenceChar = '\0';
        _fenceLength = 0;
        _wakeChars = null;
        return result;
    }

    private ToolCallParseResult Process(bool final)
    {
        var s = _pending.ToString();
        var output = new List<ToolCallSegment>(_deferred);
        _deferred.Clear();
        var warnings = new List<string>();
        var pos = 0;
        _wakeChars = null;
        while (pos < s.Length)
        {
            _wakeChars = null;
            var next = _mode switch
            {
                ToolCallScanMode.Gap => StepGap(s, pos, final),
                ToolCallScanMode.Region => StepRegion(s, pos, final, output, warnings),
                _ => StepText(s, pos, final, output, warnings),
            };

            if (next < 0)
            {
                break;
            }

            pos = next;
        }

        _pending.Clear();
        if (!final)
        {
            _pending.Append(s, pos, s.Length - pos);
        }

        return Release(output, warnings, final);
    }

    // Returns the result and defers what must wait: in an Append result, no text may follow a call.
    private ToolCallParseResult Release(List<ToolCallSegment> output, List<string> warnings, bool final)
    {
        var text = new StringBuilder();
        var calls = new List<ParsedToolCall>();
        for (var i = 0; i < output.Count; i++)
        {
            var segment = output[i];
            if (segment.Call is not null)
            {
                calls.Add(segment.Call);
            }
            else if (calls.Count > 0 && !final)
            {
                _deferred.AddRange(output.Skip(i));
                break;
            }
            else
            {
                text.Append(segment.Text);
            }
        }

        return text.Length == 0 && calls.Count == 0 && warnings.Count == 0
            ? ToolCallParseResult.Empty
            : new ToolCallParseResult(text.ToString(), calls, warnings);
    }

    // Each step consumes from pos and returns the new position, or -1 to wait for more text (pos is kept).
    private int StepGap(string s, int pos, bool final)
    {
        var i = pos;
        while (i < s.Length)
        {
            if (char.IsWhiteSpace(s[i]) || s[i] == ';')
            {
                i++;
                continue;
            }

            var noise = Array.Find(GapNoise, n => string.CompareOrdinal(s, i, n, 0, n.Length) == 0);
            if (noise is not null)
            {
                i += noise.Length;
                continue;
            }

            if (!final && Array.Exists(GapNoise, n => ToolCallStartMatcher.IsPartialAtEnd(s, i, n)))
            {
                return i == pos ? -1 : i;
            }

            _mode = ToolCallScanMode.Text;
            _atLineStart = true;
            return i;
        }

        return i;
    }

    private int StepRegion(string s, int pos, bool final, List<ToolCallSegment> output, List<string> warnings)
    {
        var end = s.IndexOf(BracketScanner.PythonEnd, pos, StringComparison.Ordinal);
        if (end < 0 && !final)
        {
            _wakeChars = ">";
            return -1;
        }

        var explicitEnd = end >= 0;
        var contentEnd = explicitEnd ? end : s.Length;
        var k = pos;
        var empty = true;
        while (true)
        {
            while (k < contentEnd && (char.IsWhiteSpace(s[k]) || s[k] == ';'))
            {
                k++;
            }

            if (k >= contentEnd)
            {
                break;
            }

            empty = false;
            var start = ClassifyRegionItem(s, k, contentEnd);
            var (status, itemEnd) = start.Kind == ToolCallStartKind.None
                ? (ToolCallItemStatus.Failed, contentEnd)
                : ReadItem(s, k, start, final: true, output, warnings);
            if (status != ToolCallItemStatus.Calls)
            {
                var rest = s[k..contentEnd];
                output.Add(ToolCallSegment.ForText(rest));
                warnings.Add(start.Kind == ToolCallStartKind.None
                    ? $"Text inside <|python_start|> is not a tool call; kept as text: {ToolCallJson.Excerpt(rest)}"
                    : $"The rest of the <|python_start|> block was kept as text: {ToolCallJson.Excerpt(rest)}");
                break;
            }

            k = itemEnd;
        }

        if (!explicitEnd && !empty)
        {
            // Calls inside a block that never closed are accepted when complete; note the missing marker.
            warnings.Add("Output ended inside a <|python_start|> block without <|python_end|>.");
        }

        // Meta renders past calls as <|python_start|><|python_end|>{"name": ...}: an empty block announces a call.
        _forcedNext = empty;
        _mode = ToolCallScanMode.Gap;
        return explicitEnd ? end + BracketScanner.PythonEnd.Length : s.Length;
    }

    private ToolCallStart ClassifyRegionItem(string s, int k, int contentEnd)
    {
        switch (s[k])
        {
            case '{':
                return new ToolCallStart(ToolCallStartKind.JsonObject);
            case '[':
                var inner = ToolCallStartMatcher.SkipWhitespace(s, k + 1);
                return new ToolCallStart(inner < contentEnd && s[inner] == '{'
                    ? ToolCallStartKind.JsonList
                    : ToolCallStartKind.PythonicList);
            case '<':
                var tag = ToolCallStartMatcher.CheckFunctionTag(s, k, _names);
                return tag.Kind == ToolCallStartKind.FunctionTag && tag.BodyStart <= contentEnd ? tag : ToolCallStart.None;
            default:
                return PythonicCallReader.TryReadCallName(s, k, _names, out _, out var paren) && paren < contentEnd
                    ? new ToolCallStart(ToolCallStartKind.BareCall, paren)
                    : ToolCallStart.None;
        }
    }

    private int StepText(string s, int pos, bool final, List<ToolCallSegment> output, List<string> warnings)
    {
        if (_forcedNext)
        {
            var k = ToolCallStartMatcher.SkipWhitespace(s, pos);
            if (k == s.Length && !final)
            {
                return -1;
            }

            if (k < s.Length && s[k] is '{' or '[')
            {
                var inner = ToolCallStartMatcher.SkipWhitespace(s, k + 1);
                if (s[k] == '[' && inner == s.Length && !final)
                {
                    return -1;
                }

                var kind = s[k] == '{' ? ToolCallStartKind.JsonObject
                    : inner < s.Length && s[inner] == '{' ? ToolCallStartKind.JsonList
                    : ToolCallStartKind.PythonicList;
                var handled = HandleCandidate(s, pos, pos, k, new ToolCallStart(kind), final, output, warnings);
                if (handled < 0)
                {
                    return -1;
                }

                _forcedNext = false;
                return handled;
            }

            _forcedNext = false;
        }

        var checkedLineStart = -1;
        var i = pos;
        while (i < s.Length)
        {
            if (i != checkedLineStart && (i == pos ? _atLineStart : s[i - 1] == '\n'))
            {
                checkedLineStart = i;
                var j = i;
                while (j < s.Length && s[j] is ' ' or '\t')
                {
                    j++;
                }

                if (j == s.Length)
                {
                    if (!final)
                    {
                        return HoldFrom(s, pos, i, output);
                    }

                    break;
                }

                if (s[j] is '`' or '~')
                {
                    var run = j;
                    while (run < s.Length && s[run] == s[j])
                    {
                        run++;
                    }

                    if (run == s.Length && !final)
                    {
                        return HoldFrom(s, pos, i, output);
                    }

                    TrackFence(s[j], run - j);
                    checkedLineStart = run;
                    i = run;
                    continue;
                }

                if (_fenceChar == '\0' && s[j] is '{' or '[')
                {
                    var start = s[j] == '{'
                        ? ToolCallStartMatcher.CheckJsonObject(s, j, _names)
                        : ToolCallStartMatcher.CheckList(s, j, _names);
                    if (start.Kind == ToolCallStartKind.Undecided)
                    {
                        if (!final)
                        {
                            return HoldFrom(s, pos, i, output);
                        }

                        if (s.AsSpan(j + 1).Trim().Length > 0)
                        {
                            warnings.Add($"Output ended inside what may be the start of a tool call; kept as text: {ToolCallJson.Excerpt(s[j..])}");
                        }
                    }
                    else if (start.Kind != ToolCallStartKind.None)
                    {
                        return HandleCandidate(s, pos, i, j, start, final, output, warnings);
                    }
                    else if (start.Warning is not null)
                    {
                        warnings.Add(start.Warning);
                    }
                }

                checkedLineStart = j;
                i = j;
                continue;
            }

            if (s[i] == '<')
            {
                if (string.CompareOrdinal(s, i, BracketScanner.PythonStart, 0, BracketScanner.PythonStart.Length) == 0)
                {
                    EmitText(s, pos, i, output);
                    _mode = ToolCallScanMode.Region;
                    return i + BracketScanner.PythonStart.Length;
                }

                if (string.CompareOrdinal(s, i, BracketScanner.PythonEnd, 0, BracketScanner.PythonEnd.Length) == 0)
                {
                    // A stray end marker is a control token, not text.
                    EmitText(s, pos, i, output);
                    return i + BracketScanner.PythonEnd.Length;
                }

                if (!final && (ToolCallStartMatcher.IsPartialAtEnd(s, i, BracketScanner.PythonStart)
                    || ToolCallStartMatcher.IsPartialAtEnd(s, i, BracketScanner.PythonEnd)))
                {
                    return HoldFrom(s, pos, i, output);
                }

                if (_fenceChar == '\0')
                {
                    var tag = ToolCallStartMatcher.CheckFunctionTag(s, i, _names);
                    if (tag.Kind == ToolCallStartKind.Undecided && !final)
                    {
                        return HoldFrom(s, pos, i, output);
                    }

                    if (tag.Kind == ToolCallStartKind.FunctionTag)
                    {
                        return HandleCandidate(s, pos, i, i, tag, final, output, warnings);
                    }

                    if (tag.Warning is not null)
                    {
                        warnings.Add(tag.Warning);
                    }
                }
            }

            i++;
        }

        // Everything scanned is text; keep a trailing high surrogate until its pair arrives.
        var releaseEnd = !final && s.Length > pos && char.IsHighSurrogate(s[^1]) ? s.Length - 1 : s.Length;
        EmitText(s, pos, releaseEnd, output);
        return releaseEnd == pos ? -1 : releaseEnd;
    }

    private int HoldFrom(string s, int pos, int holdStart, List<ToolCallSegment> output)
    {
        EmitText(s, pos, holdStart, output);
        return holdStart == pos ? -1 : holdStart;
    }

    // candidateStart includes a line's indentation; bracket is where the call itself begins.
    private int HandleCandidate(
        string s,
        int pos,
        int candidateStart,
        int bracket,
        ToolCallStart start,
        bool final,
        List<ToolCallSegment> output,
        List<string> warnings)
    {
        var itemOutput = new List<ToolCallSegment>();
        var itemWarnings = new List<string>();
        var (status, end) = ReadItem(s, bracket, start, final, itemOutput, itemWarnings);
        if (status == ToolCallItemStatus.NeedMore)
        {
            return HoldFrom(s, pos, candidateStart, output);
        }

        EmitText(s, pos, candidateStart, output);
        warnings.AddRange(itemWarnings);
        if (status == ToolCallItemStatus.Calls)
        {
            output.AddRange(itemOutput);
            _mode = ToolCallScanMode.Gap;
        }
        else
        {
            EmitText(s, candidateStart, end, output);
        }

        return end;
    }

    private (ToolCallItemStatus Status, int End) ReadItem(
        string s,
        int start,
        ToolCallStart kind,
        bool final,
        List<ToolCallSegment> output,
        List<string> warnings)
    {
        switch (kind.Kind)
        {
            case ToolCallStartKind.FunctionTag:
                return ReadFunctionTag(s, start, kind, final, output, warnings);
            case ToolCallStartKind.BareCall:
                {
                    var extent = BracketScanner.Scan(s, kind.BodyStart, python: true);
                    return Finish(s, start, extent, final, warnings, (text, end) =>
                        PythonicCallReader.TryReadBareCall(text, 0, end, _names, output, warnings));
                }

            case ToolCallStartKind.PythonicList:
                {
                    var extent = BracketScanner.Scan(s, start, python: true);
                    return Finish(s, start, extent, final, warnings, (text, end) =>
                        PythonicCallReader.TryReadList(text, 0, end, _names, output, warnings));
                }

            default:
                {
                    var extent = BracketScanner.Scan(s, start, python: false);
                    return Finish(s, start, extent, final, warnings, (text, end) =>
                        JsonCallReader.TryRead(text[..end], _names, output, warnings));
                }
        }
    }

    // Turns a bracket extent into an item outcome; read gets the item's text and its length to parse.
    private (ToolCallItemStatus Status, int End) Finish(
        string s,
        int start,
        BracketExtent extent,
        bool final,
        List<string> warnings,
        Func<string, int, bool> read)
    {
        switch (extent.Status)
        {
            case BracketExtentStatus.Closed:
                var text = s[start..extent.End];
                return (read(text, text.Length) ? ToolCallItemStatus.Calls : ToolCallItemStatus.Failed, extent.End);
            case BracketExtentStatus.Terminated when !extent.InString && extent.MissingClosers.Length > 0:
                // The model ended the block with <|python_end|> before closing its brackets: close them.
                var repaired = string.Concat(s.AsSpan(start, extent.End - start), extent.MissingClosers);
                if (read(repaired, repaired.Length))
                {
                    warnings.Add($"Tool call repaired: added the missing '{extent.MissingClosers}' before <|python_end|>.");
                    return (ToolCallItemStatus.Calls, extent.End);
                }

                return (ToolCallItemStatus.Failed, extent.End);
            case BracketExtentStatus.Terminated:
                warnings.Add($"Tool call kept as text: <|python_end|> came inside it: {ToolCallJson.Excerpt(s[start..extent.End])}");
                return (ToolCallItemStatus.Failed, extent.End);
            default:
                if (!final)
                {
                    _wakeChars = "}])>";
                    return (ToolCallItemStatus.NeedMore, extent.End);
                }

                warnings.Add($"Tool call kept as text: the output ended before it was complete: {ToolCallJson.Excerpt(s[start..])}");
                return (ToolCallItemStatus.Failed, s.Length);
        }
    }

    private (ToolCallItemStatus Status, int End) ReadFunctionTag(
        string s,
        int start,
        ToolCallStart tag,
        bool final,
        List<ToolCallSegment> output,
        List<string> warnings)
    {
        var body = ToolCallStartMatcher.SkipWhitespace(s, tag.BodyStart);
        if (body == s.Length)
        {
            if (!final)
            {
                return (ToolCallItemStatus.NeedMore, s.Length);
            }

            warnings.Add($"Tool call to '{tag.RealName}' kept as text: the output ended before its arguments.");
            return (ToolCallItemStatus.Failed, s.Length);
        }

        if (s[body] != '{')
        {
            warnings.Add($"Tool call to '{tag.RealName}' kept as text: <function=...> is not followed by a JSON object.");
            return (ToolCallItemStatus.Failed, tag.BodyStart);
        }

        var extent = BracketScanner.Scan(s, body, python: false);
        var bodyOutput = new List<ToolCallSegment>();
        var (status, end) = Finish(s, body, extent, final, warnings, (text, length) =>
            JsonCallReader.TryReadFunctionTagBody(text[..length], tag.RealName!, bodyOutput, warnings));
        if (status != ToolCallItemStatus.Calls)
        {
            return (status, end);
        }

        // The closing tag is optional (the model may stop right after the arguments).
        var close = ToolCallStartMatcher.SkipWhitespace(s, end);
        if (string.CompareOrdinal(s, close, ToolCallStartMatcher.FunctionTagClose, 0, ToolCallStartMatcher.FunctionTagClose.Length) == 0)
        {
            end = close + ToolCallStartMatcher.FunctionTagClose.Length;
        }
        else if (!final && (close == s.Length || ToolCallStartMatcher.IsPartialAtEnd(s, close, ToolCallStartMatcher.FunctionTagClose)))
        {
            return (ToolCallItemStatus.NeedMore, s.Length);
        }

        output.AddRange(bodyOutput);
        return (ToolCallItemStatus.Calls, end);
    }

    private void EmitText(string s, int from, int to, List<ToolCallSegment> output)
    {
        if (to <= from)
        {
            return;
        }

        output.Add(ToolCallSegment.ForText(s[from..to]));
        _atLineStart = s[to - 1] == '\n';
    }

    private void TrackFence(char c, int length)
    {
        if (length < 3)
        {
            return;
        }

        if (_fenceChar == '\0')
        {
            _fenceChar = c;
            _fenceLength = length;
        }
        else if (c == _fenceChar && length >= _fenceLength)
        {
            _fenceChar = '\0';
            _fenceLength = 0;
        }
    }
}
