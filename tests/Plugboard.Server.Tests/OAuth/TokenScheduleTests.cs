using System.Text.Json.Nodes;
using Plugboard.Server.OAuth;

namespace Plugboard.Server.Tests.OAuth;

public sealed class TokenScheduleTests
{
    private static readonly DateTime Now = new(2026, 11, 21, 12, 0, 0, DateTimeKind.Utc);
    private static readonly OAuthProvider Generic = new() { Name = "generic" };
    private static readonly RefreshOptions Options = new();

    private static OAuthValue Value(long? expiresIn, bool refreshToken = true, string? grant = null, long? claimedAt = null)
    {
        var json = new JsonObject { ["access_token"] = "a", ["claimed_at"] = claimedAt ?? new DateTimeOffset(Now).ToUnixTimeSeconds() };
        if (expiresIn is not null)
        {
            json["expires_in"] = expiresIn;
        }
        if (refreshToken)
        {
            json["refresh_token"] = "r";
        }
        if (grant is not null)
        {
            json["grant_type"] = grant;
        }
        return new OAuthValue(json);
    }

    [Fact]
    public void For_HourToken_RefreshesFifteenMinutesEarly()
    {
        var schedule = TokenSchedule.For(Value(3600), Generic, Now, Options);
        Assert.Equal(Now.AddHours(1), schedule.ExpiresAt);
        Assert.Equal(Now.AddMinutes(45), schedule.NextRefreshAt);
    }

    [Fact]
    public void For_ShortToken_CapsTheMarginAtHalfItsLifetime()
    {
        var schedule = TokenSchedule.For(Value(600), Generic, Now, Options);
        Assert.Equal(Now.AddMinutes(5), schedule.NextRefreshAt);
    }

    [Fact]
    public void For_LongToken_IsTouchedDaily()
    {
        var schedule = TokenSchedule.For(Value(90 * 24 * 3600), Generic, Now, Options);
        Assert.Equal(Now.AddDays(1), schedule.NextRefreshAt);
    }

    [Fact]
    public void For_NoExpiresIn_AssumesTheProviderDefaultOrAnHour()
    {
        Assert.Equal(Now.AddHours(1), TokenSchedule.For(Value(null), Generic, Now, Options).ExpiresAt);
        Assert.Equal(Now.AddHours(2), TokenSchedule.For(Value(null), Generic with { DefaultTokenLifetimeSeconds = 7200 }, Now, Options).ExpiresAt);
    }

    [Fact]
    public void For_NothingToRenewWith_IsDueExactlyAtExpiry()
    {
        var schedule = TokenSchedule.For(Value(3600, refreshToken: false), Generic, Now, Options);
        Assert.Equal(schedule.ExpiresAt, schedule.NextRefreshAt);
        var minted = TokenSchedule.For(Value(3600, refreshToken: false, grant: "client_credentials"), Generic, Now, Options);
        Assert.Equal(Now.AddMinutes(45), minted.NextRefreshAt);
    }

    [Fact]
    public void For_AlreadyExpiredToken_IsDueNow()
    {
        var claimed = new DateTimeOffset(Now.AddHours(-2)).ToUnixTimeSeconds();
        Assert.True(TokenSchedule.For(Value(3600, claimedAt: claimed), Generic, Now, Options).NextRefreshAt < Now);
    }

    [Theory]
    [InlineData("https://{env}.example.com/token", "login", "https://login.example.com/token", null)]
    [InlineData("https://{env}.example.com/token", "evil.com#", null, "props.env may only hold letters, digits, '.', '-' and '_'.")]
    [InlineData("https://{env}.example.com/token", "a/b", null, "props.env may only hold letters, digits, '.', '-' and '_'.")]
    [InlineData("https://{missing}.example.com/token", "x", null, "props.missing is required to build the provider URL.")]
    public void UrlTemplate_Fill_AllowsPlainNamesOnly(string template, string env, string? expected, string? error)
    {
        var (result, problem) = UrlTemplate.Fill(template, new Dictionary<string, string> { ["env"] = env }, new Dictionary<string, string>());
        Assert.Equal(expected, result);
        Assert.Equal(error, problem);
    }
}
