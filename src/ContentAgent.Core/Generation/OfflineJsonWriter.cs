using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace ContentAgent.Generation;

/// <summary>
/// Writes a JSON value that conforms to a JSON schema, deterministically from a seed: objects with their properties,
/// arrays of 1-3 items within minItems/maxItems, strings (enum, const, common formats, minLength/maxLength),
/// integers and numbers within minimum/maximum, booleans, nullable type arrays, anyOf/oneOf/allOf and local $ref.
/// </summary>
internal sealed class OfflineJsonWriter
{
    private const int MaxDepth = 16;

    private readonly JsonElement _root;
    private readonly List<string> _words;
    private readonly CancellationToken _cancellationToken;

    private OfflineJsonWriter(JsonElement root, List<string> words, CancellationToken cancellationToken)
    {
        _root = root;
        _words = words;
        _cancellationToken = cancellationToken;
    }

    /// <summary>Writes a value for <paramref name="schema"/>; string values reuse words of <paramref name="sourceText"/>.</summary>
    public static string Write(JsonElement schema, ulong seed, string sourceText, CancellationToken cancellationToken)
    {
        var writer = new OfflineJsonWriter(schema, CollectWords(sourceText), cancellationToken);
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var json = new Utf8JsonWriter(buffer))
        {
            writer.WriteValue(json, schema, seed, null, 0);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static List<string> CollectWords(string text)
    {
        var words = new List<string>(64);
        var start = -1;
        for (var i = 0; i <= text.Length && words.Count < 64; i++)
        {
            var isLetter = i < text.Length && char.IsLetter(text[i]);
            if (isLetter && start < 0)
            {
                start = i;
            }
            else if (!isLetter && start >= 0)
            {
                if (i - start >= 3)
                {
                    words.Add(text[start..i]);
                }

                start = -1;
            }
        }

        return words;
    }

    private void WriteValue(Utf8JsonWriter writer, JsonElement schema, ulong seed, string? name, int depth)
    {
        _cancellationToken.ThrowIfCancellationRequested();
        if (schema.ValueKind != JsonValueKind.Object)
        {
            // "true" accepts anything; "false" accepts nothing, so the least wrong answer is null.
            if (schema.ValueKind == JsonValueKind.True)
            {
                writer.WriteStringValue(Phrase(seed, name));
            }
            else
            {
                writer.WriteNullValue();
            }

            return;
        }

        if (schema.TryGetProperty("$ref", out var reference) && reference.ValueKind == JsonValueKind.String)
        {
            if (depth < MaxDepth && Resolve(reference.GetString()!) is { } target)
            {
                WriteValue(writer, target, seed, name, depth + 1);
            }
            else
            {
                writer.WriteNullValue();
            }

            return;
        }

        if (schema.TryGetProperty("const", out var constant))
        {
            constant.WriteTo(writer);
            return;
        }

        if (schema.TryGetProperty("enum", out var values) && values.ValueKind == JsonValueKind.Array && values.GetArrayLength() > 0)
        {
            values[StableHash.Pick(seed, 1, values.GetArrayLength())].WriteTo(writer);
            return;
        }

        if (TryGetAlternative(schema, out var alternative))
        {
            WriteValue(writer, alternative, seed, name, depth + 1);
            return;
        }

        switch (ChooseType(schema, depth))
        {
            case "object":
                WriteObject(writer, schema, seed, depth);
                break;
            case "array":
                WriteArray(writer, schema, seed, name, depth);
                break;
            case "integer":
                WriteInteger(writer, schema, seed);
                break;
            case "number":
                WriteNumber(writer, schema, seed);
                break;
            case "boolean":
                writer.WriteBooleanValue(StableHash.Pick(seed, 2, 2) == 0);
                break;
            case "null":
                writer.WriteNullValue();
                break;
            default:
                writer.WriteStringValue(StringValue(schema, seed, name));
                break;
        }
    }

    private static bool TryGetAlternative(JsonElement schema, out JsonElement alternative)
    {
        foreach (var keyword in (ReadOnlySpan<string>)["anyOf", "oneOf", "allOf"])
        {
            if (!schema.TryGetProperty(keyword, out var options) || options.ValueKind != JsonValueKind.Array || options.GetArrayLength() == 0)
            {
                continue;
            }

            // Prefer an alternative that is not just {"type": "null"}.
            foreach (var option in options.EnumerateArray())
            {
                if (!(option.ValueKind == JsonValueKind.Object && option.TryGetProperty("type", out var type)
                    && type.ValueKind == JsonValueKind.String && type.ValueEquals("null")))
                {
                    alternative = option;
                    return true;
                }
            }

            alternative = options[0];
            return true;
        }

        alternative = default;
        return false;
    }

    private static string ChooseType(JsonElement schema, int depth)
    {
        if (!schema.TryGetProperty("type", out var type))
        {
            return schema.TryGetProperty("properties", out _) ? "object"
                : schema.TryGetProperty("items", out _) ? "array"
                : "string";
        }

        if (type.ValueKind == JsonValueKind.String)
        {
            return type.GetString()!;
        }

        if (type.ValueKind != JsonValueKind.Array)
        {
            return "string";
        }

        // Several types allowed (["string", "null"], or ["string", "integer"] for numbers read from strings):
        // take the most structured one, and null only when nested too deep.
        var allowsNull = false;
        var best = -1;
        ReadOnlySpan<string> order = ["object", "array", "integer", "number", "boolean", "string"];
        foreach (var item in type.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String)
            {
                continue;
            }

            if (item.ValueEquals("null"))
            {
                allowsNull = true;
                continue;
            }

            for (var i = 0; i < order.Length; i++)
            {
                if (item.ValueEquals(order[i]) && (best < 0 || i < best))
                {
                    best = i;
                }
            }
        }

        return allowsNull && (best < 0 || depth >= MaxDepth) ? "null" : best < 0 ? "string" : order[best];
    }

    private void WriteObject(Utf8JsonWriter writer, JsonElement schema, ulong seed, int depth)
    {
        writer.WriteStartObject();
        if (schema.TryGetProperty("properties", out var properties) && properties.ValueKind == JsonValueKind.Object)
        {
            var required = schema.TryGetProperty("required", out var list) && list.ValueKind == JsonValueKind.Array ? list : default;
            foreach (var property in properties.EnumerateObject())
            {
                if (depth >= MaxDepth && !Contains(required, property.Name))
                {
                    continue;
                }

                writer.WritePropertyName(property.Name);
                WriteValue(writer, property.Value, StableHash.Derive(seed, StableHash.Fnv1a(property.Name)), property.Name, depth + 1);
            }
        }

        writer.WriteEndObject();
    }

    private static bool Contains(JsonElement list, string name)
    {
        if (list.ValueKind != JsonValueKind.Array)
        {
            return false;
        }

        foreach (var item in list.EnumerateArray())
        {
            if (item.ValueKind == JsonValueKind.String && item.ValueEquals(name))
            {
                return true;
            }
        }

        return false;
    }

    private void WriteArray(Utf8JsonWriter writer, JsonElement schema, ulong seed, string? name, int depth)
    {
        var minItems = (int)Math.Min(ReadLong(schema, "minItems") ?? 0, 1000);
        var maxItems = (int)Math.Min(ReadLong(schema, "maxItems") ?? long.MaxValue, 1000);
        var count = depth >= MaxDepth ? minItems : Math.Clamp(1 + StableHash.Pick(seed, 3, 3), minItems, Math.Max(minItems, maxItems));
        var items = schema.TryGetProperty("items", out var itemSchema) ? itemSchema : default;
        writer.WriteStartArray();
        for (var i = 0; i < count; i++)
        {
            var itemSeed = StableHash.Derive(seed, 1000 + (ulong)i);
            if (items.ValueKind is JsonValueKind.Object or JsonValueKind.True or JsonValueKind.False)
            {
                WriteValue(writer, items, itemSeed, name, depth + 1);
            }
            else
            {
                writer.WriteStringValue(Phrase(itemSeed, name));
            }
        }

        writer.WriteEndArray();
    }

    private static void WriteInteger(Utf8JsonWriter writer, JsonElement schema, ulong seed)
    {
        var (low, high) = Bounds(schema);
        var lo = (long)Math.Ceiling(Math.Max(low, long.MinValue / 2.0));
        var hi = (long)Math.Floor(Math.Min(high, long.MaxValue / 2.0));
        if (hi < lo)
        {
            hi = lo;
        }

        var span = (ulong)(hi - lo) + 1;
        writer.WriteNumberValue(lo + (long)(StableHash.Derive(seed, 4) % span));
    }

    private static void WriteNumber(Utf8JsonWriter writer, JsonElement schema, ulong seed)
    {
        var (lo, hi) = Bounds(schema);
        var fraction = (StableHash.Derive(seed, 5) % 10001) / 10000.0;
        var value = Math.Round(lo + ((hi - lo) * fraction), 2);
        writer.WriteNumberValue(Math.Clamp(value, lo, Math.Max(lo, hi)));
    }

    /// <summary>The inclusive range a number must fall in; 1-100 when the schema does not say.</summary>
    private static (double Low, double High) Bounds(JsonElement schema)
    {
        var minimum = ReadDouble(schema, "minimum");
        var maximum = ReadDouble(schema, "maximum");
        if (ReadDouble(schema, "exclusiveMinimum") is { } exclusiveMinimum)
        {
            minimum = Math.Max(minimum ?? double.MinValue, exclusiveMinimum + 0.01);
        }

        if (ReadDouble(schema, "exclusiveMaximum") is { } exclusiveMaximum)
        {
            maximum = Math.Min(maximum ?? double.MaxValue, exclusiveMaximum - 0.01);
        }

        var low = minimum ?? (maximum is { } max && max < 1 ? max - 99 : 1);
        var high = maximum ?? low + 99;
        return high < low ? (low, low) : (low, high);
    }

    private static double? ReadDouble(JsonElement schema, string keyword) =>
        schema.TryGetProperty(keyword, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetDouble() : null;

    private static long? ReadLong(JsonElement schema, string keyword) =>
        schema.TryGetProperty(keyword, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number) ? number : null;

    private string StringValue(JsonElement schema, ulong seed, string? name)
    {
        var n = StableHash.Pick(seed, 6, 900) + 100;
        var format = schema.TryGetProperty("format", out var formatValue) && formatValue.ValueKind == JsonValueKind.String ? formatValue.GetString() : null;
        var day = new DateOnly(2025, 1, 1).AddDays(StableHash.Pick(seed, 7, 365));
        var text = format switch
        {
            "date-time" => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + "T09:00:00Z",
            "date" => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            "time" => "09:30:00",
            "duration" => "PT" + (n % 90).ToString(CultureInfo.InvariantCulture) + "M",
            "email" => "user" + n.ToString(CultureInfo.InvariantCulture) + "@example.com",
            "uri" or "url" or "iri" => "https://example.com/" + n.ToString(CultureInfo.InvariantCulture),
            "hostname" => "host" + n.ToString(CultureInfo.InvariantCulture) + ".example.com",
            "ipv4" => "192.0.2." + (n % 250).ToString(CultureInfo.InvariantCulture),
            "ipv6" => "2001:db8::" + n.ToString(CultureInfo.InvariantCulture),
            "uuid" => Uuid(seed),
            _ => Phrase(seed, name),
        };

        var minLength = (int)Math.Min(ReadLong(schema, "minLength") ?? 0, 10_000);
        var maxLength = (int)Math.Min(ReadLong(schema, "maxLength") ?? int.MaxValue, int.MaxValue);
        if (text.Length < minLength)
        {
            var builder = new StringBuilder(text, minLength + 16);
            while (builder.Length < minLength)
            {
                builder.Append(' ').Append(Phrase(StableHash.Derive(seed, (ulong)builder.Length), name));
            }

            text = builder.ToString();
        }

        return text.Length > maxLength ? text[..maxLength] : text;
    }

    private static string Uuid(ulong seed)
    {
        Span<byte> bytes = stackalloc byte[16];
        BitConverter.TryWriteBytes(bytes, StableHash.Derive(seed, 8));
        BitConverter.TryWriteBytes(bytes[8..], StableHash.Derive(seed, 9));
        return new Guid(bytes).ToString("D", CultureInfo.InvariantCulture);
    }

    /// <summary>Two to four consecutive words of the request, or the property name when the request has none.</summary>
    private string Phrase(ulong seed, string? name)
    {
        if (_words.Count == 0)
        {
            return (name ?? "value") + " " + (StableHash.Pick(seed, 10, 90) + 10).ToString(CultureInfo.InvariantCulture);
        }

        var count = Math.Min(_words.Count, 2 + StableHash.Pick(seed, 11, 3));
        var start = StableHash.Pick(seed, 12, _words.Count - count + 1);
        return string.Join(' ', _words.GetRange(start, count));
    }

    /// <summary>Resolves a local reference ("#", "#/$defs/Name", "#/definitions/Name", any JSON pointer into the root).</summary>
    private JsonElement? Resolve(string reference)
    {
        if (!reference.StartsWith('#'))
        {
            return null;
        }

        var current = _root;
        foreach (var rawSegment in reference[1..].Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            var segment = Uri.UnescapeDataString(rawSegment).Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);
            if (current.ValueKind == JsonValueKind.Object && current.TryGetProperty(segment, out var next))
            {
                current = next;
            }
            else if (current.ValueKind == JsonValueKind.Array && int.TryParse(segment, NumberStyles.None, CultureInfo.InvariantCulture, out var index)
                && index < current.GetArrayLength())
            {
                current = current[index];
            }
            else
            {
                return null;
            }
        }

        return current;
    }
}
