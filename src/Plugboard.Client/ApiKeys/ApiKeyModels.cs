namespace Plugboard.Client;

/// <summary>An API key as lists show it: never its value, only its first characters.</summary>
/// <param name="Id">The key's id.</param>
/// <param name="Created">When it was created.</param>
/// <param name="DisplayName">Its name.</param>
/// <param name="TruncatedValue">The start of the key, to recognise it by.</param>
/// <param name="ProjectId">The project a project key is for; null for a platform key.</param>
public sealed record ApiKey(string Id, DateTimeOffset Created, string DisplayName, string TruncatedValue, string? ProjectId);

/// <summary>A key just created: the one answer that carries its value. <see cref="ToString"/> never prints it.</summary>
/// <param name="Id">The key's id.</param>
/// <param name="Created">When it was created.</param>
/// <param name="DisplayName">Its name.</param>
/// <param name="TruncatedValue">The start of the key, to recognise it by.</param>
/// <param name="ProjectId">The project a project key is for; null for a platform key.</param>
/// <param name="Value">The key itself, shown this once: store it now (the server keeps only its hash).</param>
public sealed record CreatedApiKey(string Id, DateTimeOffset Created, string DisplayName, string TruncatedValue, string? ProjectId, string Value)
{
    /// <summary>Everything but the key's value.</summary>
    public override string ToString() =>
        $"CreatedApiKey {{ Id = {Id}, Created = {Created}, DisplayName = {DisplayName}, TruncatedValue = {TruncatedValue}, ProjectId = {ProjectId}, Value = <redacted> }}";
}

/// <summary>A new API key: a platform key, or a project key when <see cref="ProjectId"/> is set.</summary>
public sealed record CreateApiKeyRequest
{
    /// <summary>Its name.</summary>
    public required string DisplayName { get; init; }

    /// <summary>The project a project key is for; null for a platform key.</summary>
    public string? ProjectId { get; init; }
}

/// <summary>Paging of <see cref="ApiKeysClient.ListAsync"/>.</summary>
public sealed record ApiKeyQuery
{
    /// <summary>Rows per page, 1 to 100 (the server's default when null).</summary>
    public int? Limit { get; init; }
}
