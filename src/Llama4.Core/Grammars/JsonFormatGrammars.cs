using System.Numerics;

namespace Llama4.Core.Grammars;

/// <summary>
/// Grammars for the supported string formats, each a practical, exactly-valid subset:
/// <list type="bullet">
/// <item><c>date</c>: <c>YYYY-MM-DD</c>, real calendar dates only (days per month, February 29 in leap years).</item>
/// <item><c>time</c>: <c>hh:mm:ss</c> with an optional fraction of 1 to 7 digits and NO offset. RFC 3339's full-time
/// requires an offset, but .NET's <c>TimeOnly</c> (which <c>AIFunctionFactory</c> maps to format time) rejects one,
/// and validators built on .NET (NJsonSchema) accept both.</item>
/// <item><c>date-time</c>: RFC 3339 <c>YYYY-MM-DDThh:mm:ss[.f{1,7}](Z|±hh:mm)</c>, offsets within ±14:00 (the range .NET
/// accepts).</item>
/// <item><c>uuid</c>: 8-4-4-4-12 lowercase hexadecimal digits.</item>
/// <item><c>email</c>: dot-separated atoms of letters, digits and <c>_%+-</c>, <c>@</c>, one to three domain labels
/// (letters and digits, one inner hyphen group) and a 2 to 12 letter top-level domain.</item>
/// </list>
/// Years are 1000 to 9998, so that every date-time converts to UTC in .NET whatever its offset.
/// </summary>
internal static class JsonFormatGrammars
{
    /// <summary>The supported string formats.</summary>
    public static readonly string[] StringFormats = ["date", "date-time", "time", "uuid", "email"];

    /// <summary>Gets whether a format name describes numbers (<c>int32</c>, <c>int64</c>, <c>float</c>, <c>double</c>).</summary>
    /// <param name="format">The format name.</param>
    /// <returns>Whether it is a numeric format.</returns>
    public static bool IsNumeric(string format) => format is "int32" or "int64" or "float" or "double";

    /// <summary>Gets the value range a numeric format implies, if any.</summary>
    /// <param name="format">The format name.</param>
    /// <returns>The range of <c>int32</c> and <c>int64</c>; null for others.</returns>
    public static (BigInteger Min, BigInteger Max)? NumericRange(string format) => format switch
    {
        "int32" => (int.MinValue, int.MaxValue),
        "int64" => (long.MinValue, long.MaxValue),
        _ => null,
    };

    /// <summary>Adds the rules of a string format and returns the rule of the quoted JSON string with its length range.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="format">The format name.</param>
    /// <returns>The rule and the shortest and longest value length, or null for an unsupported format.</returns>
    public static (string Rule, int Shortest, int Longest)? Get(GbnfGrammarBuilder builder, string format)
    {
        const string Quote = "\"\\\"\"";
        return format switch
        {
            "date" => (builder.Shared("date-string", () => $"{Quote} {Date(builder)} {Quote}"), 10, 10),
            "time" => (builder.Shared("time-string", () => $"{Quote} {Time(builder)} {Quote}"), 8, 16),
            "date-time" => (builder.Shared("date-time-string", () => $"{Quote} {Date(builder)} \"T\" {Time(builder)} {Offset(builder)} {Quote}"), 20, 33),
            "uuid" => (builder.Shared("uuid-string", () => $"{Quote} [0-9a-f]{{8}} \"-\" [0-9a-f]{{4}} \"-\" [0-9a-f]{{4}} \"-\" [0-9a-f]{{4}} \"-\" [0-9a-f]{{12}} {Quote}"), 36, 36),
            "email" => (builder.Shared("email-string", () => $"{Quote} {Email(builder)} {Quote}"), 6, 165),
            _ => null,
        };
    }

    private static string Date(GbnfGrammarBuilder builder) => builder.Shared("date", () =>
    {
        string year = builder.Shared("year", () => "[1-8] [0-9]{3} | \"9\" [0-8] [0-9]{2} | \"99\" [0-8] [0-9] | \"999\" [0-8]");
        string leapYear = builder.Shared("leap-year", () => "[1-9] [0-9] ( \"0\" [48] | [2468] [048] | [13579] [26] ) | ( [13579] [26] | [2468] [048] ) \"00\"");
        string day31 = builder.Shared("day-31", () => "\"0\" [1-9] | [12] [0-9] | \"3\" [01]");
        string day30 = builder.Shared("day-30", () => "\"0\" [1-9] | [12] [0-9] | \"30\"");
        string day28 = builder.Shared("day-28", () => "\"0\" [1-9] | \"1\" [0-9] | \"2\" [0-8]");
        string monthDay = builder.Shared("month-day", () => $"( \"0\" [13578] | \"1\" [02] ) \"-\" {day31} | ( \"0\" [469] | \"11\" ) \"-\" {day30} | \"02-\" {day28}");
        return $"{year} \"-\" {monthDay} | {leapYear} \"-02-29\"";
    });

    private static string Time(GbnfGrammarBuilder builder) => builder.Shared("time", () =>
    {
        string fraction = builder.Shared("time-fraction", () => "\".\" [0-9]{1,7}");
        return $"( [01] [0-9] | \"2\" [0-3] ) \":\" [0-5] [0-9] \":\" [0-5] [0-9] {fraction}?";
    });

    private static string Offset(GbnfGrammarBuilder builder) =>
        builder.Shared("time-offset", () => "\"Z\" | [+\\x2D] ( ( \"0\" [0-9] | \"1\" [0-3] ) \":\" [0-5] [0-9] | \"14:00\" )");

    private static string Email(GbnfGrammarBuilder builder) => builder.Shared("email", () =>
    {
        string atom = builder.Shared("email-atom", () => "[a-zA-Z0-9_%+\\x2D]{1,16}");
        string label = builder.Shared("email-label", () => "[a-zA-Z0-9]{1,16} ( \"-\" [a-zA-Z0-9]{1,16} )?");
        string labelDot = builder.Shared("email-label-dot", () => $"{label} \".\"");
        return $"{atom} ( \".\" {atom} ){{0,2}} \"@\" {labelDot}{{1,3}} [a-zA-Z]{{2,12}}";
    });
}
