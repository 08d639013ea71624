using System.Security.Claims;
using System.Text.Encodings.Web;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;

namespace Plugboard.Samples.TenantIntegration.Tenancy;

/// A TEST stand-in for the app's own sign-in: it trusts the X-Tenant-Id and X-User-Id headers. A real app
/// authenticates its users its own way (Gauzy: a JWT whose tenant the TenantPermissionGuard checks) and puts the
/// tenant in the same claim; nothing else in the sample changes. Never expose this handler to the internet.
public sealed partial class TenantHeaderAuthentication(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "TenantHeader";
    public const string Policy = "Tenant";
    public const string TenantClaim = "tenant_id";
    public const string TenantHeader = "X-Tenant-Id";
    public const string UserHeader = "X-User-Id";

    /// Every route: a signed-in user of a tenant.
    public static readonly AuthorizationPolicy RequireTenant =
        new AuthorizationPolicyBuilder(SchemeName).RequireAuthenticatedUser().RequireClaim(TenantClaim).Build();

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var tenant = Request.Headers[TenantHeader].ToString();
        var user = Request.Headers[UserHeader].ToString();
        if (tenant.Length == 0 && user.Length == 0)
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }
        if (!TenantIds.IsValid(tenant) || !UserId().IsMatch(user))
        {
            return Task.FromResult(AuthenticateResult.Fail($"{TenantHeader} and {UserHeader} are required and well-formed."));
        }
        var identity = new ClaimsIdentity([new Claim(TenantClaim, tenant), new Claim(ClaimTypes.NameIdentifier, user)], SchemeName);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties) =>
        TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Sign in as a user of a tenant.",
            detail: $"Send {TenantHeader} and {UserHeader} (this sample's stand-in for the app's own authentication).").ExecuteAsync(Context);

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Not allowed.").ExecuteAsync(Context);

    [GeneratedRegex(@"^[A-Za-z0-9_.@-]{1,128}\z")]
    private static partial Regex UserId();
}

/// The signed-in tenant, bound into every handler from the authenticated user's claim (never from the request body).
public sealed record Tenant(string Id)
{
    public static ValueTask<Tenant?> BindAsync(HttpContext http) =>
        ValueTask.FromResult(http.User.FindFirstValue(TenantHeaderAuthentication.TenantClaim) is { } id ? new Tenant(id) : null);
}

/// Tenant and organization ids as the sample accepts them. They end up in connection externalIds,
/// gauzy-tenant-{tenantId}-org-{organizationId}, so their shape is what keeps two tenants' externalIds apart: a
/// tenant id never contains "-org", so after "gauzy-tenant-" the first "-org" is the one that ends the tenant id
/// (none can straddle its end either: "-org-" does not start with a tail of "-org"). Whatever organization id a
/// tenant sends, its externalIds start with its own prefix and never equal another tenant's, so an upsert never
/// lands on another tenant's connection. Tenant ids that are GUIDs (hex and '-') always pass.
public static partial class TenantIds
{
    public static bool IsValid(string? tenantId) =>
        tenantId is not null && Id().IsMatch(tenantId) && !tenantId.Contains("-org", StringComparison.OrdinalIgnoreCase);

    public static bool IsValidOrganization(string? organizationId) => organizationId is not null && Id().IsMatch(organizationId);

    /// Every connection of the tenant has an externalId that starts with this, and no other tenant's does.
    public static string ConnectionPrefix(string tenantId) => $"gauzy-tenant-{tenantId}-org-";

    public static string ConnectionExternalId(string tenantId, string organizationId) => ConnectionPrefix(tenantId) + organizationId;

    [GeneratedRegex(@"^[A-Za-z0-9_-]{1,64}\z")]
    private static partial Regex Id();
}
