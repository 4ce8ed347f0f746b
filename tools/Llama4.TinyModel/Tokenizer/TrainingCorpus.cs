namespace Llama4.TinyModel.Tokenizer;

/// <summary>
/// A few KB of English prose, code and JSON, written for this project, from which the tiny tokenizer's merges are
/// learned. Changing this text changes every generated file (and the cache key through the format version).
/// </summary>
internal static class TrainingCorpus
{
    public const string Text = """"
        The assistant answers questions about the weather, the calendar and the files in a small project.
        When the user asks for the weather in a city, the assistant calls a tool and then reports the result.
        It is a quiet morning in the harbour town. The boats are back, the market is open, and the bakery on the
        corner sells bread until the evening. People walk along the water and talk about the storm that is coming.
        A good answer is short, correct and polite. If the question is not clear, the assistant asks what the user
        means. If a tool fails, the assistant says so and suggests what to try next. It never invents a result.
        Please summarise the meeting notes: the team agreed to ship the release on Friday, to fix the failing tests
        first, and to write the documentation for the new settings. Nobody wanted to change the database schema this
        week, so that work moves to the next sprint. The customer reported that the export was slow for large files.
        Can you help me with my order? I ordered two books and a lamp last Tuesday, but only the books arrived.
        Of course. I am sorry the lamp is missing. Could you tell me the order number, and I will check the status?
        The order number is 48213. Thank you. The lamp was shipped separately and should arrive within three days.
        Reading, writing and thinking are the three things this model was never trained to do: its weights are random.
        Numbers: 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 12, 16, 32, 64, 100, 128, 256, 512, 1024, 2048, 4096, 8192, 2025.
        Dates such as 2025-01-31 and times such as 09:30 or 17:45 appear in many requests, as do prices like $19.99.

        using System;
        using System.Collections.Generic;
        using System.Threading.Tasks;

        namespace Example.Weather;

        public sealed class WeatherService
        {
            private readonly Dictionary<string, double> _temperatures = new(StringComparer.OrdinalIgnoreCase);

            public async Task<double> GetTemperatureAsync(string city, CancellationToken cancellationToken)
            {
                ArgumentException.ThrowIfNullOrEmpty(city);
                await Task.Delay(10, cancellationToken);
                return _temperatures.TryGetValue(city, out double value) ? value : 20.5;
            }

            public override string ToString() => $"WeatherService with {_temperatures.Count} cities";
        }

        def get_weather(city: str, unit: str = "celsius") -> dict:
            """Return the current weather for a city."""
            if not city:
                raise ValueError("city must not be empty")
            return {"city": city, "temperature": 21.5, "unit": unit, "condition": "sunny"}

        for index, item in enumerate(items):
            print(f"{index}: {item['name']} costs {item['price']}")

        function add(a, b) { return a + b; }
        const result = await fetch(url, { method: "POST", body: JSON.stringify(payload) });
        if (result.status !== 200) { throw new Error("request failed"); }

        {"name": "get_weather", "parameters": {"city": "Paris", "unit": "celsius"}}
        {"name": "search_files", "parameters": {"query": "release notes", "max_results": 5}}
        {"name": "create_event", "parameters": {"title": "Team meeting", "start": "2025-03-14T09:30:00", "duration_minutes": 45}}
        {"type": "function", "function": {"name": "get_time", "description": "Get the current time in a time zone.", "parameters": {"type": "object", "properties": {"zone": {"type": "string", "description": "An IANA time zone such as Europe/Berlin."}}, "required": ["zone"]}}}
        {"temperature": 21.5, "condition": "sunny", "humidity": 0.4, "wind": {"speed": 12, "direction": "north-west"}}
        {"results": [{"path": "docs/setup.md", "score": 0.91}, {"path": "README.md", "score": 0.87}], "total": 2}
        {"error": null, "ok": true, "items": [], "count": 0, "message": "no matching events were found"}

        [get_weather(city="London"), get_time(zone="Europe/London")]
        <function=get_weather>{"city": "Tokyo"}</function>

        Safety categories: violent crimes, non-violent crimes, privacy, intellectual property, elections, self-harm.
        The user message is safe. The agent response is unsafe because it shares a private address.
        Tools can read files, list folders, search the web, send email, and run small pieces of code in a sandbox.
        The quick brown fox jumps over the lazy dog. Pack my box with five dozen liquor jugs. Sphinx of black quartz,
        judge my vow. How vexingly quick daft zebras jump! These sentences use every letter of the alphabet at least
        once, which makes them useful for testing fonts, keyboards and, here, a tiny tokenizer.
        Questions? Answers! Lists: first, second, third; options (a), (b) and (c); paths like /home/user/notes.txt or
        C:\Users\admin\Documents\report.docx; links like https://example.com/docs/index.html?page=2#top.
        Markdown: # Title, ## Section, **bold**, *italic*, `code`, - item, 1. step, > quote, | table | row |.
        """";
}
