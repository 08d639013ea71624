namespace Plugboard.Pieces;

/// <summary>
/// A connection could not be used. The message names the connection's key and never holds any part of its value.
/// </summary>
public abstract class ConnectionException : Exception
{
    private protected ConnectionException(string connectionKey, string message, Exception? inner = null)
        : base(message, inner)
    {
        ConnectionKey = connectionKey;
    }

    /// <summary>The key (the connection's externalId) that was asked for.</summary>
    public string ConnectionKey { get; }
}

/// <summary>
/// No connection with that key is visible to the run's project: it does not exist, is not shared with the
/// project, or is a placeholder still waiting for its value (the server answered 404).
/// </summary>
public sealed class ConnectionNotFoundException(string connectionKey)
    : ConnectionException(connectionKey, $"connection ({connectionKey}) not found");

/// <summary>The connection exists but is in ERROR (e.g. its OAuth2 refresh failed): the user must reconnect it.</summary>
public sealed class ConnectionExpiredException(string connectionKey)
    : ConnectionException(connectionKey, $"connection ({connectionKey}) expired, reconnect again");

/// <summary>
/// The connection could not be loaded: another error status, a network failure, or a response that is not a
/// connection. <see cref="StatusCode"/> says which status, when there was one.
/// </summary>
public sealed class ConnectionLoadingException : ConnectionException
{
    internal ConnectionLoadingException(string connectionKey, string reason, System.Net.HttpStatusCode? statusCode = null, Exception? inner = null)
        : base(connectionKey, $"Failed to load connection ({connectionKey}): {reason}", inner)
    {
        StatusCode = statusCode;
    }

    /// <summary>The server's status code, or null when no usable answer came.</summary>
    public System.Net.HttpStatusCode? StatusCode { get; }
}
