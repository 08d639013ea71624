using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Plugboard.Server.Tests.Infrastructure;

/// The SQL commands a piece of test code causes, seen through EF Core's diagnostic events. Only commands run in
/// the recording's own execution context count: a <see cref="TestApp"/> client made with
/// `Server.PreserveExecutionContext` carries it into the request, while background workers and other tests'
/// servers never have it.
public static class SqlCommands
{
    private static readonly AsyncLocal<ConcurrentQueue<string>?> Recording = new();

    static SqlCommands() => DiagnosticListener.AllListeners.Subscribe(new Listeners());

    public static async Task<(T Result, IReadOnlyList<string> Commands)> RecordAsync<T>(Func<Task<T>> action)
    {
        var commands = new ConcurrentQueue<string>();
        Recording.Value = commands;
        try
        {
            var result = await action();
            return (result, commands.ToArray());
        }
        finally
        {
            Recording.Value = null;
        }
    }

    private sealed class Listeners : IObserver<DiagnosticListener>
    {
        public void OnNext(DiagnosticListener listener)
        {
            if (listener.Name == DbLoggerCategory.Name)
            {
                listener.Subscribe(new Commands());
            }
        }

        public void OnCompleted()
        {
        }

        public void OnError(Exception error)
        {
        }
    }

    private sealed class Commands : IObserver<KeyValuePair<string, object?>>
    {
        public void OnNext(KeyValuePair<string, object?> value)
        {
            if (value.Key == RelationalEventId.CommandExecuted.Name && value.Value is CommandExecutedEventData executed)
            {
                Recording.Value?.Enqueue(executed.Command.CommandText);
            }
        }

        public void OnCompleted()
        {
        }

        public void OnError(Exception error)
        {
        }
    }
}
