using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace ContentAgent.Tests.Servers;

/// <summary>The answers <see cref="LocalLlmServer"/> gives when no <see cref="LocalLlmServer.Responder"/> is set.
/// Deterministic: the same request always gets the same answer.</summary>
public static partial class DefaultResponder
{
    private static readonly string[] Openers =
    [
        "Here is what I keep learning about {0}.",
        "A quick thought on {0}.",
        "Most teams get {0} wrong in the same way.",
        "Three years in, this is my honest take on {0}.",
        "Everyone talks about {0}; few measure it.",
        "I changed my mind about {0} this month.",
    ];

    private static readonly string[] Middles =
    [
        "Start small, ship something real, and let the results decide the next step.",
        "The tools matter less than the habits around them: clear goals, short feedback loops, honest reviews.",
        "What worked for us was writing down the one metric that matters and checking it every week.",
        "The biggest gains came from removing steps, not adding new ones.",
        "Talk to the people doing the work first; the plan gets better every time.",
        "Consistency beats intensity: a little progress every day compounds faster than you expect.",
    ];

    private static readonly string[] Questions =
    [
        "What is the one change that made the biggest difference for you?",
        "How does your team approach this today?",
        "What would you add to this list?",
        "Where do you see this going in the next year?",
        "What did you try that did not work?",
    ];

    private static readonly string[] Fillers =
    [
        "Small experiments beat big bets.",
        "Share what you learn along the way.",
        "Measure before and after, every time.",
    ];

    private static readonly string[] StopWords =
    [
        "about", "create", "write", "linkedin", "posts", "post", "please", "which", "their", "there", "these",
        "those", "should", "would", "could", "with", "from", "into", "that", "this", "your", "make", "using",
        "tone", "words", "characters", "hashtags", "hashtag", "question", "include", "ending",
    ];

    /// <summary>The default answer: for a <c>json_schema</c> request a JSON instance of the schema
    /// (<see cref="JsonInstance(string)"/>); for <c>json_object</c> <c>{"text": post}</c>; otherwise <see cref="Post"/>
    /// of the last user message.</summary>
    public static string Respond(LlmRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request.ResponseFormatType switch
        {
            "json_schema" when request.ResponseFormatSchema is { } schema => JsonInstance(schema),
            "json_schema" or "json_object" => new JsonObject { ["text"] = Post(request.LastUserMessage) }.ToJsonString(),
            _ => Post(request.LastUserMessage),
        };
    }

    /// <summary>A post-like text of 200–600 characters about <paramref name="prompt"/>: an opener naming the topic,
    /// a body sentence, a question and two hashtags. Different prompts give different texts.</summary>
    public static string Post(string prompt)
    {
        prompt ??= string.Empty;
        var hash = Fnv1a(prompt);
        var topic = Topic(prompt);
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{string.Format(CultureInfo.InvariantCulture, Openers[hash % (uint)Openers.Length], topic)} ");
        text.Append(Middles[(hash >> 8) % (uint)Middles.Length]).Append(' ');
        var filler = (int)((hash >> 16) % (uint)Fillers.Length);
        while (text.Length < 170)
        {
            text.Append(Fillers[filler]).Append(' ');
            filler = (filler + 1) % Fillers.Length;
        }

        text.Append(Questions[(hash >> 24) % (uint)Questions.Length]);
        var (first, second) = Hashtags(prompt);
        text.Append("\n\n#").Append(first).Append(" #").Append(second);
        return text.ToString();
    }

    /// <summary>A minimal JSON instance that satisfies <paramref name="schemaJson"/>: objects carry every property,
    /// strings are <c>"text"</c> (or a value of their <c>format</c>, also when written in the description as
    /// <c>"format: date-time"</c>), numbers and integers 7 (kept within
    /// minimum/maximum), booleans true, arrays one item (or minItems), enums and <c>const</c> their first value,
    /// <c>anyOf</c>/<c>oneOf</c> their first non-null branch, local <c>$ref</c>s resolved.</summary>
    public static string JsonInstance(string schemaJson)
    {
        ArgumentNullException.ThrowIfNull(schemaJson);
        var root = JsonNode.Parse(schemaJson);
        return (Instance(root, root, 0) ?? JsonValue.Create("text")).ToJsonString();
    }

    private static JsonNode? Instance(JsonNode? schema, JsonNode? root, int depth)
    {
        if (schema is not JsonObject s || depth > 16)
        {
            return schema is JsonValue v && v.TryGetValue(out bool allowed) && !allowed ? null : JsonValue.Create("text");
        }

        if (s["$ref"] is JsonValue refValue && refValue.TryGetValue(out string? reference))
        {
            return Instance(Resolve(root, reference), root, depth + 1);
        }

        if (s["const"] is { } constant)
        {
            return constant.DeepClone();
        }

        if (s["enum"] is JsonArray { Count: > 0 } values)
        {
            return values.FirstOrDefault(x => x is not null)?.DeepClone();
        }

        foreach (var combinator in new[] { "anyOf", "oneOf", "allOf" })
        {
            if (s[combinator] is JsonArray { Count: > 0 } branches)
            {
                var branch = branches.FirstOrDefault(b => !IsNullSchema(b)) ?? branches[0];
                return Instance(branch, root, depth + 1);
            }
        }

        return TypeOf(s) switch
        {
            "object" => ObjectInstance(s, root, depth),
            "array" => ArrayInstance(s, root, depth),
            "integer" => JsonValue.Create((long)Clamp(s, 7)),
            "number" => JsonValue.Create(Clamp(s, 7)),
            "boolean" => JsonValue.Create(true),
            "null" => null,
            _ => JsonValue.Create(StringInstance(s)),
        };
    }

    private static JsonObject ObjectInstance(JsonObject schema, JsonNode? root, int depth)
    {
        var result = new JsonObject();
        if (schema["properties"] is JsonObject properties)
        {
            foreach (var (name, property) in properties)
            {
                result[name] = Instance(property, root, depth + 1);
            }
        }

        if (schema["required"] is JsonArray required)
        {
            foreach (var name in required.Select(r => r?.GetValue<string>()).OfType<string>().Where(n => !result.ContainsKey(n)))
            {
                result[name] = JsonValue.Create("text");
            }
        }

        return result;
    }

    private static JsonArray ArrayInstance(JsonObject schema, JsonNode? root, int depth)
    {
        var count = Math.Max(1, schema["minItems"] is JsonValue min && min.TryGetValue(out int m) ? m : 1);
        var result = new JsonArray();
        if (schema["prefixItems"] is JsonArray prefix)
        {
            foreach (var item in prefix)
            {
                result.Add(Instance(item, root, depth + 1));
            }
        }

        while (result.Count < count)
        {
            result.Add(Instance(schema["items"], root, depth + 1));
        }

        return result;
    }

    private static string StringInstance(JsonObject schema)
    {
        // OpenAI's strict mode has no "format": Microsoft.Extensions.AI moves it into the description ("format: date-time").
        var format = schema["format"] is JsonValue f && f.TryGetValue(out string? fs) ? fs
            : schema["description"] is JsonValue d && d.TryGetValue(out string? description) && FormatInDescriptionRegex().Match(description) is { Success: true } m ? m.Groups[1].Value
            : null;
        var value = format switch
        {
            "date-time" => "2025-01-01T00:00:00Z",
            "date" => "2025-01-01",
            "time" => "12:00:00",
            "uri" or "url" or "uri-reference" => "https://example.com/",
            "uuid" => "00000000-0000-0000-0000-000000000007",
            "email" => "someone@example.com",
            "duration" => "PT1M",
            _ => "text",
        };
        var minLength = schema["minLength"] is JsonValue min && min.TryGetValue(out int mn) ? mn : 0;
        if (value.Length < minLength)
        {
            value = value.PadRight(minLength, 'x');
        }

        var maxLength = schema["maxLength"] is JsonValue max && max.TryGetValue(out int mx) ? mx : int.MaxValue;
        return value.Length > maxLength ? value[..maxLength] : value;
    }

    private static string? TypeOf(JsonObject schema)
    {
        switch (schema["type"])
        {
            case JsonValue single when single.TryGetValue(out string? type):
                return type;
            case JsonArray types:
                var names = types.Select(t => t?.GetValue<string>()).ToList();
                return new[] { "object", "array", "integer", "number", "boolean", "string" }.FirstOrDefault(names.Contains) ?? "null";
            default:
                return schema.ContainsKey("properties") ? "object" : schema.ContainsKey("items") ? "array" : null;
        }
    }

    private static double Clamp(JsonObject schema, double value)
    {
        if (schema["minimum"] is JsonValue min && min.TryGetValue(out double mn) && value < mn)
        {
            value = Math.Ceiling(mn);
        }

        if (schema["maximum"] is JsonValue max && max.TryGetValue(out double mx) && value > mx)
        {
            value = Math.Floor(mx);
        }

        return value;
    }

    private static bool IsNullSchema(JsonNode? schema) =>
        schema is JsonObject s && s["type"] is JsonValue t && t.TryGetValue(out string? type) && type == "null";

    private static JsonNode? Resolve(JsonNode? root, string reference)
    {
        if (reference == "#")
        {
            return root;
        }

        if (!reference.StartsWith("#/", StringComparison.Ordinal))
        {
            return null;
        }

        var node = root;
        foreach (var segment in reference[2..].Split('/'))
        {
            node = node is JsonObject o ? o[segment.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal)] : null;
        }

        return node;
    }

    private static string Topic(string prompt)
    {
        var about = AboutRegex().Match(prompt);
        var topic = about.Success ? about.Groups[1].Value : prompt.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? string.Empty;
        topic = WhitespaceRegex().Replace(topic, " ").Trim().TrimEnd('.', ',', ';', ':', '!', '?');
        if (topic.Length > 100)
        {
            topic = topic[..100].TrimEnd();
        }

        return topic.Length == 0 ? "this" : topic;
    }

    private static (string First, string Second) Hashtags(string prompt)
    {
        var words = WordRegex().Matches(prompt)
            .Select(m => m.Value)
            .Where(w => w.Length is >= 3 and <= 30 && !StopWords.Contains(w, StringComparer.OrdinalIgnoreCase))
            .Select(w => char.ToUpperInvariant(w[0]) + w[1..].ToLowerInvariant())
            .Distinct(StringComparer.Ordinal)
            .OrderByDescending(w => w.Length)
            .ThenBy(w => w, StringComparer.Ordinal)
            .Take(2)
            .ToList();
        return words.Count switch
        {
            0 => ("Insights", "Growth"),
            1 => (words[0], words[0] == "Insights" ? "Growth" : "Insights"),
            _ => (words[0], words[1]),
        };
    }

    private static uint Fnv1a(string text)
    {
        var hash = 2166136261u;
        foreach (var c in text)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return hash;
    }

    [GeneratedRegex(@"\babout\s+([^.\n;:!?]{2,100})", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex AboutRegex();

    [GeneratedRegex(@"\bformat:\s*([A-Za-z-]+)")]
    private static partial Regex FormatInDescriptionRegex();

    [GeneratedRegex(@"\s+")]
    private static partial Regex WhitespaceRegex();

    [GeneratedRegex(@"[A-Za-z][A-Za-z0-9]+")]
    private static partial Regex WordRegex();
}
