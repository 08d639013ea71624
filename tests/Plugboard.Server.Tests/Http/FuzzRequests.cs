using System.Text;
using System.Text.Json;
using CsCheck;

namespace Plugboard.Server.Tests.Http;

/// One operation of the OpenAPI document: its route template, parameters and body schema (null: no body).
public sealed record FuzzOperation(string Method, string Path, IReadOnlyList<string> PathParams, IReadOnlyList<string> QueryParams, JsonElement? Body);

/// A request to send: the credential is an index (0 admin key, 1 project key, 2 engine token).
public sealed record FuzzRequest(string Method, string Url, string? Body, int Credential)
{
    public override string ToString() =>
        $"{Method} {Url} as {(Credential switch { 0 => "admin", 1 => "project key", _ => "engine" })} body {(Body is null ? "-" : Body.Length > 300 ? Body[..300] + "…" : Body)}";
}

public static class FuzzOperations
{
    /// Every operation of /openapi/v1.json, with $refs of request bodies resolved.
    public static List<FuzzOperation> Read(JsonElement document)
    {
        var schemas = document.GetProperty("components").GetProperty("schemas");
        var operations = new List<FuzzOperation>();
        foreach (var path in document.GetProperty("paths").EnumerateObject())
        {
            foreach (var operation in path.Value.EnumerateObject())
            {
                var parameters = operation.Value.TryGetProperty("parameters", out var p) ? p.EnumerateArray().ToList() : [];
                JsonElement? body = operation.Value.TryGetProperty("requestBody", out var requestBody) &&
                    requestBody.GetProperty("content").EnumerateObject().FirstOrDefault().Value is { ValueKind: JsonValueKind.Object } content &&
                    content.TryGetProperty("schema", out var schema)
                        ? Resolve(schema, schemas)
                        : null;
                operations.Add(new FuzzOperation(
                    operation.Name.ToUpperInvariant(),
                    path.Name,
                    [.. parameters.Where(x => x.GetProperty("in").GetString() == "path").Select(x => x.GetProperty("name").GetString()!)],
                    [.. parameters.Where(x => x.GetProperty("in").GetString() == "query").Select(x => x.GetProperty("name").GetString()!)],
                    body));
            }
        }
        return operations;
    }

    public static JsonElement Resolve(JsonElement schema, JsonElement schemas) =>
        schema.TryGetProperty("$ref", out var reference) && schemas.TryGetProperty(reference.GetString()!.Split('/')[^1], out var target)
            ? Resolve(target, schemas)
            : schema;
}

/// The generators: a request is an operation, a credential, odd route and query values, and a body that is
/// either not an object at all or the operation's schema filled with plausible and malformed values.
public sealed class FuzzRequests(IReadOnlyList<FuzzOperation> operations, JsonElement schemas, string targetProject, string canaryProject)
{
    /// Raw JSON text, so lone surrogates and NUL go out as the escapes a client would send.
    private static readonly string[] OddScalars =
    [
        "\"\\ud800\"", "\"a\\udc00b\"", "\"\\udbff\\ud800\"", "\"x\\u0000y\"", "\"\\u0000\"", "\"\\ud83d\\ude00\"", "\"ｆｕｚｚ\"", "\"\\u001f\"",
        "\"\"", "\" \"", "\"../../etc\"", "\"@activepieces/piece-gelato\"", "\"%00\"", "\"' OR 1=1 --\"", "\"\\u202e\\ufeff\"",
        "0", "-1", "1e400", "-1e400", "99999999999999999999999999", "1.5", "2147483648", "-9223372036854775809", "1E-400",
        "true", "false", "null", "{}", "[]", "[null]", "{\"\\ud800\":1}", "{\"a\\u0000\":1}", "{\"\":\"\"}",
    ];

    private static readonly string[] OddBodies =
    [
        "", "[]", "[{}]", "5", "\"text\"", "null", "true", "{", "not json", "{\"a\":}", "\"\\ud800\"", "{\"a\":1}{", "\ufeff{}", "{}",
        "{\"a\":1,\"a\":2}", "[" + new string('[', 100) + new string(']', 100) + "]",
    ];

    private static readonly string[] OddSegments =
    [
        "%00", "a%00b", "%ED%A0%80", "%EF%BD%86%EF%BD%95%EF%BD%9A%EF%BD%9A", "%F0%9F%98%80", "..", "%2F", "%40scope%2Fname", "%25", "%20",
        "unknownProject0000000", "x", new string('a', 300), "%C0%AF", "%FF", "%E2%80%AE", "a.b", "-1", "1e400", "%0A",
    ];

    private static readonly string[] OddQueryValues =
    [
        "%00", "a%00b", "%ED%A0%80", "%F0%9F%98%80", "-1", "0", "1e400", "99999999999999999999", "abc", "", "%25%25", "bm9wZQ==",
        "ACTIVE", "EXPIRED", "true", new string('q', 3000), "%EF%BD%86", "'", "%0A", "%FF",
    ];

    public Gen<FuzzRequest> Gen => CsCheck.Gen.Int[0, operations.Count - 1].SelectMany(i => Request(operations[i]));

    private Gen<FuzzRequest> Request(FuzzOperation op) =>
        CsCheck.Gen.Select(
            // Mostly the credential the route takes, so most requests get past authentication to the checks.
            op.Path.StartsWith("/api/v1/worker", StringComparison.Ordinal)
                ? CsCheck.Gen.Frequency((1, CsCheck.Gen.Const(0)), (1, CsCheck.Gen.Const(1)), (8, CsCheck.Gen.Const(2)))
                : CsCheck.Gen.Frequency((14, CsCheck.Gen.Const(0)), (5, CsCheck.Gen.Const(1)), (1, CsCheck.Gen.Const(2))),
            // Never a DELETE of the target itself: that would end the project key and engine token early.
            (op.Method == "DELETE" ? CsCheck.Gen.OneOf(OddSegments) : Segment).Array[op.PathParams.Count],
            Query(op),
            op.Method == "GET" || op.Method == "DELETE" ? CsCheck.Gen.Const((string?)null) : Body(op.Body),
            (credential, segments, query, body) =>
            {
                var url = op.Path;
                for (var i = 0; i < op.PathParams.Count; i++)
                {
                    url = url.Replace("{" + op.PathParams[i] + "}", segments[i], StringComparison.Ordinal);
                }
                return new FuzzRequest(op.Method, url + query, body, credential);
            });

    private Gen<string> Segment => CsCheck.Gen.Frequency(
        (8, CsCheck.Gen.OneOf(OddSegments)),
        (2, CsCheck.Gen.OneOf(targetProject, "fuzz_target", "%40activepieces%2Fpiece-gelato")),
        (1, CsCheck.Gen.String[CsCheck.Gen.Char, 1, 20].Select(Uri.EscapeDataString)));

    private Gen<string> Query(FuzzOperation op)
    {
        var names = op.QueryParams.Concat(["unknown"]).ToArray();
        var pair = CsCheck.Gen.Select(
            CsCheck.Gen.OneOf(names),
            CsCheck.Gen.Frequency((6, CsCheck.Gen.OneOf(OddQueryValues)), (2, CsCheck.Gen.OneOf(targetProject, canaryProject))),
            (name, value) => $"{name}={value}");
        return pair.Array[0, 3].Select(pairs => pairs.Length == 0 ? "" : "?" + string.Join('&', pairs));
    }

    private Gen<string?> Body(JsonElement? schema) => CsCheck.Gen.Frequency(
        (2, CsCheck.Gen.OneOf(OddBodies).Select(b => (string?)b)),
        (8, schema is { } s ? Object(s, 0).Select(b => (string?)b) : CsCheck.Gen.OneOf(OddBodies).Select(b => (string?)b)));

    /// The schema's properties: either each one left out, plausible or malformed, or all plausible but one
    /// malformed (so the request gets past the other checks and the odd value reaches storage, if anything lets it).
    private Gen<string> Object(JsonElement schema, int depth)
    {
        schema = FuzzOperations.Resolve(schema, schemas);
        var properties = schema.TryGetProperty("properties", out var p) ? p.EnumerateObject().ToList() : [];
        if (properties.Count == 0 || depth > 2)
        {
            return Odd(depth);
        }
        Gen<string> Field(JsonProperty property, Gen<string> value) => value.Select(v => v.Length == 0 ? "" : $"{Key(property.Name)}:{v}");
        Gen<string> Join(IEnumerable<Gen<string>> fields) => fields.Aggregate(CsCheck.Gen.Const(new List<string>()), (acc, field) => acc.Select(field, (list, f) =>
            f.Length == 0 ? list : [.. list, f])).Select(list => "{" + string.Join(',', list) + "}");
        var independent = Join(properties.Select(property => Field(property, CsCheck.Gen.Frequency(
            (2, CsCheck.Gen.Const("")), (4, Plausible(property.Name, property.Value, depth)), (4, Odd(depth))))));
        var oneOdd = CsCheck.Gen.Int[0, properties.Count - 1].SelectMany(k => Join(properties.Select((property, i) =>
            Field(property, i == k ? Odd(depth) : Plausible(property.Name, property.Value, depth)))));
        return CsCheck.Gen.Frequency((3, independent), (7, oneOdd));
    }

    private Gen<string> Plausible(string name, JsonElement schema, int depth) => (name, FuzzOperations.Resolve(schema, schemas)) switch
    {
        ("projectId", _) => CsCheck.Gen.OneOf(Quote(targetProject), Quote(canaryProject)),
        ("projectIds", _) => CsCheck.Gen.Const($"[{Quote(targetProject)}]"),
        ("pieceName", _) => CsCheck.Gen.OneOf("\"@activepieces/piece-gelato\"", "\"@activepieces/piece-slack\"", "\"ｆｕｚｚ\"", "\"Piece Name\""),
        ("type", _) => CsCheck.Gen.OneOf("\"SECRET_TEXT\"", "\"CUSTOM_AUTH\"", "\"OAUTH2\"", "\"BASIC_AUTH\"", "\"PLATFORM_OAUTH2\"", "\"NOPE\""),
        ("value", _) => CsCheck.Gen.Frequency(
            (1, CsCheck.Gen.Const("{\"type\":\"SECRET_TEXT\",\"secret_text\":\"s\"}")),
            (2, Odd(depth + 1).Select(v => $"{{\"type\":\"SECRET_TEXT\",\"secret_text\":{v}}}")),
            (1, Odd(depth + 1).Select(v => $"{{\"type\":\"CUSTOM_AUTH\",\"props\":{{\"api_key\":{v}}}}}"))),
        ("scope", _) => CsCheck.Gen.OneOf("\"PLATFORM\"", "\"PROJECT\""),
        ("status", _) => CsCheck.Gen.OneOf("\"ENABLED\"", "\"DISABLED\"", "\"ACTIVE\""),
        ("version" or "pieceVersion", _) => CsCheck.Gen.OneOf("\"0.1.0\"", "\"^1.0.0\"", "\"99999999999999999999.0.0\""),
        ("ttlSeconds", _) => CsCheck.Gen.OneOf("60", "0", "86401", "2147483648"),
        ("limit", _) => CsCheck.Gen.OneOf("1", "100"),
        (_, var resolved) => TypeOf(resolved) switch
        {
            "string" => CsCheck.Gen.OneOf("\"fuzz\"", "\"fuzz_other\""),
            "integer" or "number" => CsCheck.Gen.OneOf("5", "1"),
            "boolean" => CsCheck.Gen.OneOf("true", "false"),
            "array" => Items(resolved, depth),
            "object" => Object(resolved, depth + 1),
            _ => Odd(depth + 1),
        },
    };

    private Gen<string> Items(JsonElement schema, int depth) =>
        schema.TryGetProperty("items", out var items)
            ? Plausible("item", items, depth + 1).Array[0, 2].Select(xs => "[" + string.Join(',', xs) + "]")
            : CsCheck.Gen.Const("[]");

    private static Gen<string> Odd(int depth) => CsCheck.Gen.Frequency(
        (8, CsCheck.Gen.OneOf(OddScalars)),
        (2, CsCheck.Gen.Int[20, 70].Select(Deep)),
        (1, CsCheck.Gen.Int[1, 12_000].Select(n => Quote(new string('x', n)))),
        (1, CsCheck.Gen.String[CsCheck.Gen.Char, 0, 30].Select(s => JsonSerializer.Serialize(s))),
        (depth > 2 ? 0 : 1, CsCheck.Gen.OneOf(OddScalars).Array[1, 3].Select(xs => "{" + string.Join(',', xs.Select((x, i) => $"\"k{i}\":{x}")) + "}")));

    /// Objects and arrays nested `depth` levels, alternating.
    private static string Deep(int depth)
    {
        var text = new StringBuilder();
        for (var i = 0; i < depth; i++)
        {
            text.Append(i % 2 == 0 ? "{\"a\":" : "[");
        }
        text.Append('1');
        for (var i = depth - 1; i >= 0; i--)
        {
            text.Append(i % 2 == 0 ? '}' : ']');
        }
        return text.ToString();
    }

    private static string TypeOf(JsonElement schema) =>
        !schema.TryGetProperty("type", out var type) ? "" :
        type.ValueKind == JsonValueKind.String ? type.GetString()! :
        type.EnumerateArray().Select(t => t.GetString()!).FirstOrDefault(t => t != "null") ?? "";

    private static string Key(string name) => JsonSerializer.Serialize(name);

    private static string Quote(string text) => JsonSerializer.Serialize(text);
}
