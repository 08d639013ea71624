using System.Text.Json;
using System.Text.Json.Nodes;

namespace Plugboard.Pieces;

/// <summary>
/// A connection's value as the engine hands it to piece code: the whole value object with its <c>type</c>
/// (e.g. <c>{"type":"CUSTOM_AUTH","props":{"api_key":"..."}}</c>), with typed accessors.
/// <see cref="ToString"/> names the connection, never its secrets.
/// </summary>
public sealed class ConnectionValue
{
    /// <summary>Wraps a value object read for the connection <paramref name="externalId"/>.</summary>
    public ConnectionValue(string externalId, JsonObject value)
    {
        ArgumentException.ThrowIfNullOrEmpty(externalId);
        ArgumentNullException.ThrowIfNull(value);
        ExternalId = externalId;
        Json = value;
    }

    /// <summary>The connection's key (externalId).</summary>
    public string ExternalId { get; }

    /// <summary>The raw value object.</summary>
    public JsonObject Json { get; }

    /// <summary>The value's type: <c>SECRET_TEXT</c>, <c>BASIC_AUTH</c>, <c>CUSTOM_AUTH</c>, <c>OAUTH2</c>, <c>NO_AUTH</c>, ...</summary>
    public string Type => Json["type"] is JsonValue v && v.TryGetValue(out string? type) ? type : "";

    /// <summary>The secret of a <c>SECRET_TEXT</c> connection.</summary>
    /// <exception cref="InvalidOperationException">The value has no <c>secret_text</c>.</exception>
    public string SecretText => RequireString("secret_text");

    /// <summary>The username of a <c>BASIC_AUTH</c> connection.</summary>
    /// <exception cref="InvalidOperationException">The value has no <c>username</c>.</exception>
    public string Username => RequireString("username");

    /// <summary>The password of a <c>BASIC_AUTH</c> connection.</summary>
    /// <exception cref="InvalidOperationException">The value has no <c>password</c>.</exception>
    public string Password => RequireString("password");

    /// <summary>The access token of an OAuth2 connection (<c>OAUTH2</c>, <c>PLATFORM_OAUTH2</c>, <c>CLOUD_OAUTH2</c>).</summary>
    /// <exception cref="InvalidOperationException">The value has no <c>access_token</c>.</exception>
    public string AccessToken => RequireString("access_token");

    /// <summary>The props of a <c>CUSTOM_AUTH</c> connection (or an OAuth2 one's extra props); empty when there are none.</summary>
    public JsonObject Props => Json["props"] as JsonObject ?? [];

    /// <summary>
    /// One prop of <see cref="Props"/> as text: a string as is, another value as its JSON, null when absent or null.
    /// </summary>
    public string? Prop(string name) => Props[name] switch
    {
        null => null,
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        var other => other.ToJsonString(),
    };

    /// <summary>Names the connection and its type; never holds the value.</summary>
    public override string ToString() => $"connection ({ExternalId}, {Type})";

    private string RequireString(string field) =>
        Json[field] is JsonValue v && v.TryGetValue(out string? text)
            ? text
            : throw new InvalidOperationException($"connection ({ExternalId}) of type {Type} has no {field}.");
}
