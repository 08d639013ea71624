namespace Plugboard.Client;

/// <summary>The contract's error codes, as <see cref="PlugboardApiException.Code"/> carries them.</summary>
public static class PlugboardErrorCodes
{
    /// <summary>400: a field is missing or invalid (<c>Params</c> names it).</summary>
    public const string Validation = "VALIDATION";

    /// <summary>404: no such entity, or not the caller's (the two look the same).</summary>
    public const string EntityNotFound = "ENTITY_NOT_FOUND";

    /// <summary>401: no key, or a key the server does not know.</summary>
    public const string Authentication = "AUTHENTICATION";

    /// <summary>403: the key may not do this.</summary>
    public const string Authorization = "AUTHORIZATION";

    /// <summary>409: another project has this externalId.</summary>
    public const string ProjectExternalIdAlreadyExists = "PROJECT_EXTERNAL_ID_ALREADY_EXISTS";

    /// <summary>409: the row changed meanwhile; read it again and retry.</summary>
    public const string ConcurrentUpdate = "CONCURRENT_UPDATE";

    /// <summary>409: a sync import conflicts with what is there.</summary>
    public const string SyncConflict = "SYNC_CONFLICT";

    /// <summary>The connection cannot be used now (e.g. in ERROR, or credentials missing).</summary>
    public const string ConnectionNotUsable = "CONNECTION_NOT_USABLE";

    /// <summary>The provider or upstream API could not be reached.</summary>
    public const string UpstreamUnavailable = "UPSTREAM_UNAVAILABLE";

    /// <summary>413: the body is too large.</summary>
    public const string PayloadTooLarge = "PAYLOAD_TOO_LARGE";

    /// <summary>429: over the rate limit; <c>Retry-After</c> says when to come back.</summary>
    public const string TooManyRequests = "TOO_MANY_REQUESTS";

    /// <summary>500: a fault of the server's.</summary>
    public const string Internal = "INTERNAL_ERROR";

    /// <summary>The OAuth2 code or credentials were refused by the provider.</summary>
    public const string InvalidClaim = "INVALID_CLAIM";

    /// <summary>The connection's value does not fit its piece or type.</summary>
    public const string InvalidAppConnection = "INVALID_APP_CONNECTION";

    /// <summary>The answer did not carry the contract's body (e.g. a proxy in front of the server).</summary>
    public const string HttpError = "HTTP_ERROR";
}
