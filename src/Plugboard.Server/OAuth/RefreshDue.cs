using System.Linq.Expressions;
using Plugboard.Server.Connections;

namespace Plugboard.Server.OAuth;

/// When a connection's token is due for refresh: the one rule the engine read, the refresh route and the
/// background scan share. It is written once, as an expression, so the scan runs it as SQL and everyone
/// else runs the same rule compiled.
public static class RefreshDue
{
    /// An ACTIVE OAuth2 connection whose time has come. ERROR waits for new credentials and MISSING holds none;
    /// a back-off is a NextRefreshAt in the future. Unscheduled rows (stored before the schedule existed) are due,
    /// so they get one.
    private static readonly Expression<Func<AppConnection, DateTime, bool>> Rule = (c, now) =>
        (c.Type == ConnectionType.OAuth2 || c.Type == ConnectionType.CloudOAuth2 || c.Type == ConnectionType.PlatformOAuth2) &&
        c.Status == ConnectionStatus.Active &&
        (c.NextRefreshAt == null || c.NextRefreshAt <= now);

    private static readonly Func<AppConnection, DateTime, bool> Compiled = Rule.Compile();

    public static bool IsDue(AppConnection row, DateTime now) => Compiled(row, now);

    /// The rule as a query predicate. `now` is bound as a captured value, so EF sends it as a parameter.
    public static Expression<Func<AppConnection, bool>> DueAt(DateTime now)
    {
        var captured = Expression.Field(Expression.Constant(new Instant(now)), nameof(Instant.Value));
        var body = new Substitute(Rule.Parameters[1], captured).Visit(Rule.Body);
        return Expression.Lambda<Func<AppConnection, bool>>(body, Rule.Parameters[0]);
    }

    private sealed class Instant(DateTime value)
    {
        public readonly DateTime Value = value;
    }

    private sealed class Substitute(ParameterExpression parameter, Expression replacement) : ExpressionVisitor
    {
        protected override Expression VisitParameter(ParameterExpression node) => node == parameter ? replacement : node;
    }
}
