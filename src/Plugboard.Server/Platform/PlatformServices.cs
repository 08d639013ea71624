using Microsoft.AspNetCore.Authentication;
using Plugboard.Server.Access;

namespace Plugboard.Server.Platform;

public static class PlatformServices
{
    /// The operator key's settings (checked on start), the disabled-platform cache and the API keys found.
    public static IServiceCollection AddPlugboardPlatform(this IServiceCollection services)
    {
        services.AddSingleton(sp => OperatorOptions.FromConfiguration(sp.GetRequiredService<IConfiguration>()));
        services.AddSingleton<PlatformStatus>();
        services.AddSingleton<KnownApiKeys>();
        return services;
    }

    /// The operator-key scheme and the Operator policy of /api/v1/platforms; no other route runs this scheme.
    public static IServiceCollection AddOperatorAuth(this IServiceCollection services)
    {
        services.AddAuthentication()
            .AddScheme<AuthenticationSchemeOptions, OperatorKeyAuthentication>(OperatorKeyAuthentication.SchemeName, null);
        services.AddAuthorizationBuilder()
            .AddPolicy(OperatorKeyAuthentication.Policy, p => p
                .AddAuthenticationSchemes(OperatorKeyAuthentication.SchemeName)
                .RequireAuthenticatedUser()
                .RequireClaim(ClaimNames.ActorType, OperatorKeyAuthentication.ActorType));

        // A platform's own settings (its allowed embedding origins): the operator key, or a platform key of that platform.
        // One forwarding scheme picks the handler, so a refusal is answered once, by the scheme the credential belongs to.
        services.AddAuthentication()
            .AddPolicyScheme(OperatorOrBearerScheme, null, o => o.ForwardDefaultSelector = context =>
                context.Request.Headers.Authorization.ToString() is var header && header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) &&
                context.RequestServices.GetRequiredService<OperatorOptions>().Matches(header["Bearer ".Length..].Trim())
                    ? OperatorKeyAuthentication.SchemeName
                    : Policies.BearerScheme);
        services.AddAuthorizationBuilder()
            .AddPolicy(PlatformOwnerPolicy, p => p
                .AddAuthenticationSchemes(OperatorOrBearerScheme)
                .RequireAuthenticatedUser()
                .RequireAssertion(c => c.User.FindFirst(ClaimNames.ActorType)?.Value is OperatorKeyAuthentication.ActorType or Caller.PlatformKeyActor));
        return services;
    }

    public const string OperatorOrBearerScheme = "OperatorOrBearer";
    /// The operator, or a platform key (whose platform the route then checks).
    public const string PlatformOwnerPolicy = "PlatformOwner";

    /// The API-key scheme: `Authorization: Bearer sk-...`.
    public static IServiceCollection AddApiKeyAuth(this IServiceCollection services)
    {
        services.AddAuthentication()
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthentication>(ApiKeyAuthentication.SchemeName, null);
        return services;
    }
}
