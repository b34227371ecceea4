using System.Collections.Concurrent;
using Acornima.Ast;
using Jint;

namespace Duban.Engine.Expressions;

/// <summary>
/// A bounded, thread-safe cache of parsed scripts keyed by script text. A <see cref="Prepared{T}"/> script is
/// immutable and may be run by any number of engines at once, so one parse serves every later evaluation.
/// Eviction is deliberately simple: when full, arbitrary entries are dropped to make room.
/// Scripts that fail to parse are not cached.
/// </summary>
internal sealed class PreparedScriptCache
{
    public const int DefaultCapacity = 1024;

    private readonly ConcurrentDictionary<string, Prepared<Script>> _entries = new(StringComparer.Ordinal);
    private readonly int _capacity;
    private int _count;

    public PreparedScriptCache(int capacity = DefaultCapacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _capacity = capacity;
    }

    /// <summary>Entries currently held (approximate while other threads add or evict).</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>Returns the cached parse of <paramref name="script"/>, parsing and caching it on a miss.</summary>
    /// <exception cref="ScriptPreparationException">The script does not parse.</exception>
    public Prepared<Script> GetOrPrepare(string script)
    {
        if (_entries.TryGetValue(script, out var prepared))
        {
            return prepared;
        }

        // Parse outside any lock; two threads missing at once both parse and one result wins — harmless.
        prepared = Jint.Engine.PrepareScript(script, source: null, strict: true);

        while (Volatile.Read(ref _count) >= _capacity && EvictOne())
        {
        }

        if (_entries.TryAdd(script, prepared))
        {
            Interlocked.Increment(ref _count);
        }

        return prepared;
    }

    private bool EvictOne()
    {
        // Enumerating the dictionary itself takes no locks (unlike .Keys or .Count).
        foreach (var entry in _entries)
        {
            if (_entries.TryRemove(entry.Key, out _))
            {
                Interlocked.Decrement(ref _count);
                return true;
            }
        }

        return false;
    }
}
