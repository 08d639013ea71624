using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Plugboard.Server.Http;

namespace Plugboard.Server.Connections;

/// The checks of seed 004's values: a definition's global values, a connection's own part (a customer's value, a test
/// value, the organization's part), and the effective value they make together, which must be a whole value of the type.
public static partial class DefinitionChecks
{
    private static readonly string[] OAuthInheritable =
        ["client_id", "client_secret", "scope", "authorization_url", "token_url", "redirect_url", "provider", "grant_type", "authorization_method", "props", "data"];

    /// The fields a definition may fix, per type: the credential's setup, never a customer's tokens.
    private static string[] Inheritable(ConnectionType type) => type switch
    {
        ConnectionType.SecretText => ["secret_text"],
        ConnectionType.BasicAuth => ["username", "password"],
        ConnectionType.CustomAuth => ["props"],
        ConnectionType.NoAuth => [],
        _ => OAuthInheritable,
    };

    public static ApiError? StableKey(string? key, string field = "stableKey") =>
        key is null || !StableKeyPattern().IsMatch(key)
            ? ApiError.Validation($"{field} is required: lower-case letters, digits, '.', '_' and '-', starting with a letter or digit, at most 128.", field)
            : null;

    /// Global values: an object of fields the type's value has (null: none), each shaped as in a value.
    public static Outcome<JsonObject> GlobalValues(ConnectionType type, JsonElement? given, TimeProvider time, string field = "globalValues")
    {
        if (given is null || given.Value.ValueKind == JsonValueKind.Null)
        {
            return new JsonObject();
        }
        if (given.Value.ValueKind != JsonValueKind.Object)
        {
            return ApiError.Validation($"{field} must be an object.", field);
        }
        var globals = JsonNode.Parse(given.Value.GetRawText())!.AsObject();
        var allowed = Inheritable(type);
        foreach (var (name, node) in globals)
        {
            if (!allowed.Contains(name))
            {
                var names = allowed.Length == 0 ? "none" : string.Join(", ", allowed);
                return ApiError.Validation($"{field}.{name} is not a field a {WireEnum<ConnectionType>.Name(type)} connection inherits (it may: {names}).", $"{field}.{name}");
            }
            if (node is null)
            {
                return ApiError.Validation($"{field}.{name} must not be null.", $"{field}.{name}");
            }
        }
        // Shaped as in a value: checked as a whole value made of them and stand-ins for what connections supply.
        var probe = InheritedValues.Merge(StandIns(type), globals);
        var parsed = ConnectionValue.Parse(type, JsonSerializer.SerializeToElement(probe), time);
        return parsed.Succeeded ? globals : Renamed(parsed.Error, field);
    }

    /// A connection's own part (a customer's value, a test value, the organization's part) as it is stored, and the
    /// effective value it makes with the global values: both checked.
    public sealed record CheckedPart(JsonObject Own, string Effective);

    /// The own part must be an object (null: empty) of the definition's type setting no field the definition fixes, and
    /// the effective value a whole value of the type; errors name `field`'s members.
    public static Outcome<CheckedPart> Part(ConnectionDefinition definition, JsonObject globals, JsonElement? given, TimeProvider time, string field = "value")
    {
        if (!OwnPart(definition, globals, given, field).TryGetValue(out var own, out var invalid) ||
            !Effective(definition, globals, own, time, field).TryGetValue(out var effective, out invalid))
        {
            return invalid;
        }
        return new CheckedPart(own, effective);
    }

    private static Outcome<JsonObject> OwnPart(ConnectionDefinition definition, JsonObject globals, JsonElement? given, string field)
    {
        var wireType = WireEnum<ConnectionType>.Name(definition.Type);
        if (given is null || given.Value.ValueKind == JsonValueKind.Null)
        {
            return new JsonObject { ["type"] = wireType };
        }
        if (given.Value.ValueKind != JsonValueKind.Object)
        {
            return ApiError.Validation($"{field} must be an object.", field);
        }
        var part = JsonNode.Parse(given.Value.GetRawText())!.AsObject();
        if (part["type"] is { } type && (type.GetValueKind() != JsonValueKind.String || type.GetValue<string>() != wireType))
        {
            return ApiError.Validation($"{field}.type must be {wireType}, the type of the definition '{definition.StableKey}'.", $"{field}.type");
        }
        if (InheritedValues.FirstFixed(globals, part) is { } fixedPath)
        {
            return ApiError.Validation(
                $"{field}.{fixedPath} is fixed by the definition '{definition.StableKey}' (one of its global values): leave it out.", $"{field}.{fixedPath}");
        }
        part["type"] = wireType;
        return part;
    }

    private static Outcome<string> Effective(ConnectionDefinition definition, JsonObject globals, JsonObject part, TimeProvider time, string field = "value")
    {
        var parsed = ConnectionValue.Parse(definition.Type, JsonSerializer.SerializeToElement(InheritedValues.Merge(globals, part)), time);
        return parsed.Succeeded ? parsed.Value : Renamed(parsed.Error, field);
    }

    private static JsonObject StandIns(ConnectionType type) => type switch
    {
        ConnectionType.SecretText => new() { ["type"] = "SECRET_TEXT", ["secret_text"] = "-" },
        ConnectionType.BasicAuth => new() { ["type"] = "BASIC_AUTH", ["username"] = "-", ["password"] = "-" },
        ConnectionType.CustomAuth => new() { ["type"] = "CUSTOM_AUTH", ["props"] = new JsonObject() },
        ConnectionType.NoAuth => new() { ["type"] = "NO_AUTH" },
        _ => new() { ["type"] = WireEnum<ConnectionType>.Name(type), ["access_token"] = "-" },
    };

    /// A value's error about "value.x" told about `field`.x instead.
    private static ApiError Renamed(ApiError error, string field) =>
        field == "value"
            ? error
            : error with
            {
                Params = error.Params.ToDictionary(p => p.Key,
                    p => p.Value == "value" ? field : p.Value?.Replace("value.", field + ".", StringComparison.Ordinal), StringComparer.Ordinal),
            };

    [GeneratedRegex("^[a-z0-9][a-z0-9._-]{0,127}$")]
    private static partial Regex StableKeyPattern();
}
