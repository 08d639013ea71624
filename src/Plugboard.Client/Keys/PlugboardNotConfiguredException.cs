namespace Plugboard.Client;

/// <summary>Neither the tenant's own key nor the global key (<c>Plugboard:GlobalApiKey</c>) is set, so no
/// request was sent.</summary>
public sealed class PlugboardNotConfiguredException : InvalidOperationException
{
    /// <summary>The seed's message, "Plugboard API key not configured".</summary>
    public const string DefaultMessage = "Plugboard API key not configured";

    /// <summary>For the given tenant (null: the client bound to no tenant).</summary>
    public PlugboardNotConfiguredException(string? tenantId) : base(DefaultMessage) => TenantId = tenantId;

    /// <summary>For no tenant.</summary>
    public PlugboardNotConfiguredException() : this(tenantId: null)
    {
    }

    /// <summary>With a message of the caller's.</summary>
    public PlugboardNotConfiguredException(string message, Exception innerException) : base(message, innerException)
    {
    }

    /// <summary>The tenant whose request found no key, or null for the unbound client.</summary>
    public string? TenantId { get; }
}
