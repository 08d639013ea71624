using System.Net;
using System.Text.Json;

namespace Plugboard.Client;

/// <summary>The server answered with an error: its status, the contract's <c>code</c> (<c>ENTITY_NOT_FOUND</c>,
/// <c>VALIDATION</c>, <c>AUTHENTICATION</c>, …), its <c>params</c> and message. The server never puts a
/// secret in an error body, and neither does this exception.</summary>
public sealed class PlugboardApiException : Exception
{
    /// <summary>An error as the server described it.</summary>
    public PlugboardApiException(HttpStatusCode statusCode, string code, IReadOnlyDictionary<string, JsonElement> parameters, string message)
        : base(message)
    {
        StatusCode = statusCode;
        Code = code;
        Params = parameters;
    }

    /// <summary>The HTTP status of the answer.</summary>
    public HttpStatusCode StatusCode { get; }

    /// <summary>The contract's error code, e.g. <c>ENTITY_NOT_FOUND</c>; <c>HTTP_ERROR</c> when the answer
    /// did not carry the contract's body (a proxy in front of the server, say).</summary>
    public string Code { get; }

    /// <summary>The error's <c>params</c> (<c>message</c>, and e.g. the offending field).</summary>
    public IReadOnlyDictionary<string, JsonElement> Params { get; }
}
