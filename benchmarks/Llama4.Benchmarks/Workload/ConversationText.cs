using System.Globalization;
using System.Text;

namespace Llama4.Benchmarks.Workload;

/// <summary>
/// Writes the text of a long support-and-engineering chat, deterministically from a seed: user messages that describe a
/// situation and ask for help, assistant answers of several paragraphs with numbered steps, code (C#, JSON, SQL, shell)
/// and the occasional non-ASCII name or symbol, and short follow-up questions. Sentences are assembled from phrase lists,
/// so no paragraph repeats verbatim, and the mix of prose, identifiers, numbers and punctuation tokenizes like real chat
/// text. Speed, not meaning, is measured: the generated models read it as they read anything.
/// </summary>
internal sealed class ConversationText(int seed)
{
    private static readonly string[] Systems =
    [
        "an ASP.NET Core order service", "a Blazor dashboard for the warehouse team", "a nightly ETL job that loads invoices into PostgreSQL",
        "the mobile checkout API", "a worker service that reads from Azure Service Bus", "our Kubernetes ingress", "the billing webhook handler",
        "a WPF tool the accountants use", "the search indexer", "a gRPC gateway in front of three legacy services", "the customer portal",
        "a Semantic Kernel agent that triages support tickets", "the reporting database", "a Redis-backed session store",
        "the CI pipeline on GitHub Actions", "a MAUI app for field technicians", "the pricing engine", "an Azure Function that resizes images",
    ];

    private static readonly string[] Symptoms =
    [
        "requests time out under load", "memory keeps growing after every deployment", "the p99 latency doubled since Tuesday",
        "some messages are processed twice", "the job fails with a deadlock roughly once a week", "startup takes almost a minute",
        "CPU sits at 100% even when traffic is low", "users in Zürich see prices in the wrong currency", "the logs show thousands of retries",
        "a migration locked the orders table for 20 minutes", "the cache hit rate dropped to 12%", "tests pass locally but fail in the pipeline",
        "JSON dates come back shifted by one hour", "the health check flaps between healthy and degraded", "uploads over 30 MB are rejected",
    ];

    private static readonly string[] Details =
    [
        "We run {0} replicas behind a load balancer.", "It started after we upgraded to .NET 10.", "The connection pool is set to {0}.",
        "Nothing changed in the code, only the configuration.", "It only happens between 02:00 and 03:00 UTC.",
        "The team in São Paulo reported it first.", "We already doubled the timeout to {0} seconds.", "Our SLA promises a response within {0} ms.",
        "The queue had {0} messages waiting this morning.", "I attached the stack trace below.", "Roughly {0}% of requests are affected.",
        "We use EF Core with a compiled model.", "The database is on a managed instance with {0} vCores.", "I'm new to this code base, so bear with me.",
    ];

    private static readonly string[] Asks =
    [
        "Could you explain what is going on", "What would you check first", "Can you suggest a fix", "How should we restructure this",
        "Is there a safer way to roll this out", "What am I missing", "Could you walk me through the options", "How do other teams handle this",
    ];

    private static readonly string[] Openers =
    [
        "Good question.", "That symptom usually has one of a few causes.", "Let's narrow it down step by step.", "There are two separate problems here.",
        "This is a classic one.", "Thanks for the details, they help a lot.", "Short answer: it is almost certainly configuration, not code.",
    ];

    private static readonly string[] Subjects =
    [
        "the connection pool", "the retry policy", "the garbage collector", "the message lock", "the HTTP client factory", "the query plan",
        "the thread pool", "the circuit breaker", "the index on customer_id", "the background service", "the cache entry", "the outbox table",
        "the rate limiter", "the JSON serializer", "the health check", "the deployment slot", "the database transaction", "the token refresh",
    ];

    private static readonly string[] Verbs =
    [
        "holds on to", "retries", "serializes", "invalidates", "blocks", "allocates", "times out before", "competes with", "duplicates",
        "delays", "swallows", "rewrites", "reorders", "caches", "locks", "throttles",
    ];

    private static readonly string[] Objects =
    [
        "every incoming request", "the last batch of invoices", "the scoped DbContext", "idle connections", "the response stream",
        "the lease on the message", "large object heap buffers", "the whole partition", "expired tokens", "the configuration reload",
        "the first request after a cold start", "concurrent writers", "the culture-specific formatting", "the downstream call",
    ];

    private static readonly string[] Conditions =
    [
        "when the pool is exhausted", "under sustained load", "after the lock expires", "if the handler throws", "during a deployment",
        "when two replicas start together", "as soon as the cache is cold", "whenever the clock skews by more than a second",
        "if nobody disposes it", "for requests that carry a large payload", "when the retry budget is spent", "on the first call of the day",
    ];

    private static readonly string[] Advice =
    [
        "Measure before you change anything: a dashboard with the pool size, queue length and latency percentiles settles most debates.",
        "Make the operation idempotent, then retries stop being dangerous.", "Prefer a bounded channel over an unbounded queue.",
        "Dispose the scope at the end of each message, not at the end of the batch.", "Log the correlation id at every hop.",
        "Set the timeout on the outer call, not on every inner one.", "Keep the transaction as short as the business rule allows.",
        "Roll it out behind a feature flag to 5% of traffic first.", "Write the failing case as a test before fixing it.",
        "Pin the culture to InvariantCulture wherever you format data for machines.", "Add a jittered backoff, capped at 30 seconds.",
    ];

    private static readonly string[] Steps =
    [
        "Check the pool statistics in the metrics endpoint.", "Reproduce it with a load test at {0} requests per second.",
        "Capture a memory dump with dotnet-dump when the working set passes {0} MB.", "Compare the query plan before and after the change.",
        "Turn on EF Core's sensitive data logging in a staging environment only.", "Look for synchronous waits (.Result, .Wait()) on hot paths.",
        "Count the open connections with pg_stat_activity.", "Verify the lock duration against the longest handler run ({0} s).",
        "Move the configuration into IOptionsMonitor so reloads are observed.", "Add an index and watch the p95 for a day.",
        "Replace the static HttpClient with IHttpClientFactory.", "Run the migration in batches of {0} rows.",
    ];

    private static readonly string[] Closers =
    [
        "Let me know what the metrics show and we can go from there.", "If that doesn't help, send me the dump and I'll take a look.",
        "Happy to review the pull request once it's up.", "That should bring you back under the SLA.", "Ping me if anything is unclear — naïve questions welcome.",
    ];

    private static readonly string[] FollowUps =
    [
        "Thanks! One more thing: how would this change if we moved to {0}?", "Does the same apply to {0}?",
        "What would you log to prove the fix worked for {0}?", "Could you summarize the plan for {0} in three bullet points?",
        "How do I explain the trade-off for {0} to my manager in one paragraph?", "Any risk in doing this for {0} on a Friday?",
        "Which metric tells me first that {0} is in trouble again?", "Should {0} get its own alert, and at what threshold?",
    ];

    private static readonly string[] Code =
    [
        """
        ```csharp
        services.AddHttpClient<OrdersClient>(client => client.Timeout = TimeSpan.FromSeconds({0}))
            .AddStandardResilienceHandler(o => o.Retry.MaxRetryAttempts = 3);
        ```
        """,
        """
        ```json
        {{ "ConnectionStrings": {{ "Orders": "Host=db;Maximum Pool Size={0};Timeout=15" }}, "Logging": {{ "LogLevel": {{ "Default": "Information" }} }} }}
        ```
        """,
        """
        ```sql
        CREATE INDEX CONCURRENTLY ix_orders_customer ON orders (customer_id, created_at DESC) WHERE status <> 'archived';
        ```
        """,
        """
        ```bash
        dotnet-counters monitor --process-id {0} System.Runtime Microsoft.AspNetCore.Hosting
        ```
        """,
        """
        ```csharp
        await using var scope = _scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OrdersDbContext>();
        await db.Orders.Where(o => o.Id == id).ExecuteUpdateAsync(s => s.SetProperty(o => o.Status, Status.Shipped), ct);
        ```
        """,
    ];

    private static readonly string[] Greetings = ["", "Hi! ", "Hello, ", "Morning. ", "Quick question: ", "Hey, "];

    private readonly Random _random = new(seed);

    /// <summary>A user message that describes a situation and asks for help (about 40 to 90 words).</summary>
    public string UserMessage()
    {
        var text = new StringBuilder();
        text.Append(Pick(Greetings)).Append("I'm working on ").Append(Pick(Systems)).Append(" and ").Append(Pick(Symptoms)).Append(". ");
        for (var i = _random.Next(1, 4); i > 0; i--)
        {
            text.Append(Fill(Pick(Details))).Append(' ');
        }

        text.Append(Pick(Asks)).Append('?');
        return text.ToString();
    }

    /// <summary>An assistant answer: an opener, one or two paragraphs, sometimes numbered steps and a code block, a closer.</summary>
    public string AssistantMessage()
    {
        var text = new StringBuilder();
        text.Append(Pick(Openers)).Append(' ').Append(Sentence()).Append("\n\n");
        for (var paragraph = _random.Next(1, 3); paragraph > 0; paragraph--)
        {
            for (var sentence = _random.Next(1, 4); sentence > 0; sentence--)
            {
                text.Append(Sentence()).Append(' ');
            }

            text.Append(Pick(Advice)).Append("\n\n");
        }

        if (_random.Next(2) == 0)
        {
            var steps = (string[])Steps.Clone();
            _random.Shuffle(steps);
            var count = _random.Next(3, 6);
            for (var step = 1; step <= count; step++)
            {
                text.Append(step.ToString(CultureInfo.InvariantCulture)).Append(". ").Append(Fill(steps[step - 1])).Append('\n');
            }

            text.Append('\n');
        }

        if (_random.Next(3) == 0)
        {
            text.Append(Fill(Pick(Code))).Append("\n\n");
        }

        text.Append(Pick(Closers));
        return text.ToString();
    }

    /// <summary>A one-sentence follow-up question (about 10 to 20 words), the new message of a measured turn.</summary>
    public string FollowUp() => string.Format(CultureInfo.InvariantCulture, Pick(FollowUps), Pick(Systems));

    /// <summary>One more explanatory sentence, to lengthen an answer.</summary>
    public string Sentence()
    {
        var subject = Pick(Subjects);
        return char.ToUpperInvariant(subject[0]) + subject[1..] + " " + Pick(Verbs) + " " + Pick(Objects) + " " + Pick(Conditions) + ".";
    }

    private string Pick(string[] items) => items[_random.Next(items.Length)];

    private string Fill(string template) => string.Format(CultureInfo.InvariantCulture, template, _random.Next(2, 512));
}
