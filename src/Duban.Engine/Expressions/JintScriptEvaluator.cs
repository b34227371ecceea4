using System.Globalization;
using System.Text.Json.Nodes;
using Acornima;
using Jint;
using Jint.Native;
using Jint.Native.Json;
using Jint.Native.Object;
using Jint.Runtime;
using JsEngine = Jint.Engine;

namespace Duban.Engine.Expressions;

/// <summary>
/// <see cref="IScriptEvaluator"/> on Jint. Every evaluation runs in a fresh, strict-mode engine with no CLR access
/// and every <see cref="ScriptLimits"/> applied; data goes in and comes out as JSON only, so a script never holds a
/// .NET object. Parsed scripts are cached (bounded), so a script is parsed once however often it runs.
/// </summary>
/// <remarks>
/// Thread-safe: register one instance (singleton) and call it from any number of threads.
/// Only <see cref="ScriptException"/> leaves <see cref="Evaluate"/> for anything the script does; argument
/// exceptions are thrown for caller mistakes (null arguments, an extra global named like a standard one).
/// </remarks>
public sealed class JintScriptEvaluator : IScriptEvaluator
{
    private const string VarsName = "vars";
    private const string ItemName = "item";
    private const string FormName = "form";
    private const string UserName = "user";

    /// <summary>
    /// Globals removed from every engine. Buffers and typed arrays let one statement allocate up to 2 GB before
    /// the memory limit can notice (it measures after the fact); Atomics works on shared memory and can block;
    /// ShadowRealm creates a fresh realm in which the removed constructors exist again. Workflow scripts need none.
    /// </summary>
    private static readonly string[] RemovedGlobals =
    [
        "ArrayBuffer", "SharedArrayBuffer", "DataView", "Atomics", "ShadowRealm",
        "Int8Array", "Uint8Array", "Uint8ClampedArray", "Int16Array", "Uint16Array", "Int32Array", "Uint32Array",
        "Float16Array", "Float32Array", "Float64Array", "BigInt64Array", "BigUint64Array",
    ];

    /// <summary>
    /// String methods whose result one call can make far larger than their input — <c>'x'.repeat(1 &lt;&lt; 28)</c> is 512 MB
    /// in one statement, before the memory limit (measured between statements) can notice — and the argument that sets
    /// that size. Each is wrapped to refuse a result longer than the memory limit allows, before it is built. The other
    /// calls that build one string out of many (join, toLocaleString, concat, replace, replaceAll, JSON.stringify) are
    /// bounded in <see cref="ScriptStringBounds"/>.
    /// </summary>
    private static readonly (string Name, Func<JsValue, JsValue[], double> ResultLength)[] GrowingStringMethods =
    [
        ("repeat", (self, args) => TypeConverter.ToString(self).Length * TypeConverter.ToNumber(args.At(0))),
        ("padStart", (_, args) => TypeConverter.ToNumber(args.At(0))),
        ("padEnd", (_, args) => TypeConverter.ToNumber(args.At(0))),
    ];

    /// <summary>How many scripts run at once in the process: the processors, at least two.</summary>
    public static readonly int MostAtOnce = Math.Max(2, Environment.ProcessorCount);

    /// <summary>
    /// Evaluations at once in this process, whatever the number of evaluators: each may hold up to its memory limit, so
    /// this bounds what scripts hold together. More wait their turn (see <see cref="QueueWait"/>).
    /// </summary>
    private static readonly SemaphoreSlim Running = new(MostAtOnce, MostAtOnce);

    /// <summary>How long an evaluation waits for its turn before it fails as a timeout: ten of its timeouts, at least 30 s.</summary>
    private TimeSpan QueueWait => _queueWait ?? TimeSpan.FromTicks(Math.Max(_limits.Timeout.Ticks * 10, TimeSpan.FromSeconds(30).Ticks));


    private readonly ScriptLimits _limits;
    private readonly PreparedScriptCache _cache;
    private readonly SemaphoreSlim _running;
    private readonly TimeSpan? _queueWait;

    public JintScriptEvaluator()
        : this(ScriptLimits.Default)
    {
    }

    /// <param name="limits">Applied to every evaluation. Every limit must be positive (recursion depth may be 0).</param>
    public JintScriptEvaluator(ScriptLimits limits)
        : this(limits, PreparedScriptCache.DefaultCapacity)
    {
    }

    /// <param name="running">The evaluations-at-once gate; tests pass their own (and its wait), everyone else shares the process's.</param>
    internal JintScriptEvaluator(ScriptLimits limits, int cacheCapacity, SemaphoreSlim? running = null, TimeSpan? queueWait = null)
    {
        _running = running ?? Running;
        _queueWait = queueWait;
        ArgumentNullException.ThrowIfNull(limits);
        if (limits.Timeout <= TimeSpan.Zero || limits.Timeout == TimeSpan.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(limits), limits.Timeout, "Timeout must be positive and finite.");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(limits.MaxStatements, 1, nameof(limits));
        ArgumentOutOfRangeException.ThrowIfLessThan(limits.MaxMemoryBytes, 1, nameof(limits));
        ArgumentOutOfRangeException.ThrowIfEqual(limits.MaxMemoryBytes, long.MaxValue, nameof(limits));
        ArgumentOutOfRangeException.ThrowIfNegative(limits.MaxRecursionDepth, nameof(limits));

        _limits = limits;
        _cache = new PreparedScriptCache(cacheCapacity);
    }

    /// <summary>Parsed scripts currently cached (for tests and diagnostics).</summary>
    internal int CachedScriptCount => _cache.Count;

    /// <inheritdoc />
    public ScriptResult Evaluate(string script, ScriptScope scope, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(script);
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentNullException.ThrowIfNull(scope.Variables);
        ArgumentNullException.ThrowIfNull(scope.Item);
        if (scope.Extra is not null)
        {
            foreach (var name in scope.Extra.Keys)
            {
                if (name is VarsName or ItemName or FormName or UserName)
                {
                    throw new ArgumentException($"Extra global '{name}' clashes with a standard script global.", nameof(scope));
                }
            }
        }

        if (cancellationToken.IsCancellationRequested)
        {
            // Jint only looks at the token between statements; a script without loops would never notice.
            throw Cancelled(null);
        }

        var prepared = Prepare(script);

        if (!WaitForTurn(cancellationToken))
            throw new ScriptException(ScriptFailure.Timeout, "脚本排队等待超时：同时运行的脚本过多，请稍后重试");
        JsEngine? engine = null;
        try
        {
            engine = CreateEngine(cancellationToken);
            var parser = new JsonParser(engine);
            engine.SetValue(VarsName, ToJs(parser, scope.Variables));
            engine.SetValue(ItemName, ToJs(parser, scope.Item));
            engine.SetValue(FormName, ToJs(parser, scope.Form));
            engine.SetValue(UserName, ToJs(parser, scope.User));
            if (scope.Extra is not null)
            {
                foreach (var (name, extra) in scope.Extra)
                {
                    engine.SetValue(name, ToJs(parser, extra));
                }
            }

            var completion = engine.Evaluate(prepared);

            // Serialising runs script code too (toJSON, getters, proxies); the engine's limits still apply to it.
            var serializer = new JsonSerializer(engine);
            var value = ToNode(ScriptStringBounds.Serialize(engine, serializer, completion, _limits.MaxMemoryBytes / 2.0));
            var variables = ToNode(ScriptStringBounds.Serialize(engine, serializer, engine.GetValue(VarsName), _limits.MaxMemoryBytes / 2.0)) as JsonObject
                ?? throw new ScriptException(ScriptFailure.Runtime, "脚本运行错误：vars 必须是对象");
            return new ScriptResult(value, variables);
        }
        catch (ScriptException)
        {
            throw;
        }
        catch (Exception ex)
        {
            throw Translate(ex);
        }
        finally
        {
            engine?.Dispose();
            _running.Release();
        }
    }

    private bool WaitForTurn(CancellationToken cancellationToken)
    {
        try
        {
            return _running.Wait(QueueWait, cancellationToken);
        }
        catch (OperationCanceledException ex)
        {
            throw Cancelled(ex);
        }
    }

    /// <inheritdoc />
    public string? CheckSyntax(string script)
    {
        ArgumentNullException.ThrowIfNull(script);
        try
        {
            // Same parser and options as Evaluate; a script that parses is cached for its first run.
            Prepare(script);
            return null;
        }
        catch (ScriptException ex) when (ex.Failure == ScriptFailure.Syntax)
        {
            return ex.Message;
        }
    }

    private Prepared<Acornima.Ast.Script> Prepare(string script)
    {
        try
        {
            return _cache.GetOrPrepare(script);
        }
        catch (ScriptPreparationException ex) when (ex.InnerException is ParseErrorException parse)
        {
            throw SyntaxError(parse);
        }
        catch (Exception ex) when (ex.InnerException is InsufficientExecutionStackException || ex is InsufficientExecutionStackException)
        {
            throw new ScriptException(ScriptFailure.Syntax, "脚本语法错误：脚本嵌套层数过深，无法解析", ex);
        }
        catch (Exception ex)
        {
            throw new ScriptException(ScriptFailure.Syntax, "脚本语法错误：" + ParserMessages.Chinese((ex.InnerException ?? ex).Message), ex);
        }
    }

    private JsEngine CreateEngine(CancellationToken cancellationToken)
    {
        var limits = _limits;
        var engine = new JsEngine(options =>
        {
            options.Strict();
            options.Interop.Enabled = false;
            options.AgentCanSuspend = false; // Atomics.wait would block the thread past every limit
            options.TimeoutInterval(limits.Timeout);
            options.MaxStatements(limits.MaxStatements);
            options.LimitMemory(limits.MaxMemoryBytes);
            options.LimitRecursion(limits.MaxRecursionDepth);
            options.CancellationToken(cancellationToken);
            options.Constraints.RegexTimeout = limits.Timeout; // default is 10 s
            options.Constraints.PromiseTimeout = limits.Timeout; // default is 10 s
            options.Constraints.StackOverflowGuard = true; // native stack exhaustion becomes a RangeError, not a crash
            // An array's slots are allocated at once (new Array(n).fill(0)); a slot takes 8 bytes or more.
            options.Constraints.MaxArraySize = (uint)Math.Min(uint.MaxValue, Math.Max(1, limits.MaxMemoryBytes / 8));
        });

        var global = engine.Global;
        foreach (var name in RemovedGlobals)
        {
            global.Delete(name);
        }

        // A .NET string takes 2 bytes a character: no single call may build one larger than the memory limit.
        var mostChars = limits.MaxMemoryBytes / 2.0;
        var strings = global.Get("String").AsObject().Get("prototype").AsObject();
        foreach (var (name, resultLength) in GrowingStringMethods) Bound(engine, strings, name, resultLength, mostChars);
        ScriptStringBounds.Install(engine, mostChars);

        return engine;
    }

    /// <summary>Replaces <paramref name="name"/> of <paramref name="prototype"/> by a call that first refuses a result longer than <paramref name="mostChars"/>.</summary>
    private static void Bound(JsEngine engine, ObjectInstance prototype, string name, Func<JsValue, JsValue[], double> resultLength, double mostChars)
    {
        var original = prototype.Get(name);
        ScriptStringBounds.Replace(engine, prototype, name, 1, (self, args) =>
        {
            if (resultLength(self, args) > mostChars)
                throw new MemoryLimitExceededException($"{name} would exceed the memory limit");
            return engine.Invoke(original, self, args);
        });
    }

    private static JsValue ToJs(JsonParser parser, JsonNode? node) =>
        node is null ? JsValue.Null : parser.Parse(node.ToJsonString());

    private static JsonNode? ToNode(JsValue json) =>
        json is JsString text ? JsonNode.Parse(text.ToString()) : null;

    private ScriptException Translate(Exception ex) => ex switch
    {
        ParseErrorException parse => SyntaxError(parse),
        ExecutionCanceledException or OperationCanceledException => Cancelled(ex),
        TimeoutException => new ScriptException(ScriptFailure.Timeout, TimeoutMessage(), ex), // incl. RegexMatchTimeoutException
        StatementsCountOverflowException => new ScriptException(
            ScriptFailure.StatementLimit,
            string.Create(CultureInfo.InvariantCulture, $"脚本执行语句数超过上限（{_limits.MaxStatements}）"),
            ex),
        MemoryLimitExceededException or OutOfMemoryException or InsufficientMemoryException => new ScriptException(
            ScriptFailure.MemoryLimit, $"脚本占用内存超过上限（{FormatBytes(_limits.MaxMemoryBytes)}）", ex),
        RecursionDepthOverflowException or InsufficientExecutionStackException => RecursionLimit(ex),
        JavaScriptException js when IsStackOverflow(js) => RecursionLimit(ex),
        JavaScriptException js => new ScriptException(ScriptFailure.Runtime, "脚本运行错误：" + Describe(js), ex),
        System.Text.Json.JsonException => new ScriptException(ScriptFailure.Runtime, "脚本运行错误：数据无法转换为 JSON（" + ex.Message + "）", ex),
        _ => new ScriptException(ScriptFailure.Runtime, $"脚本运行错误：{ex.GetType().Name}: {ex.Message}", ex),
    };

    private ScriptException RecursionLimit(Exception ex) => new(
        ScriptFailure.RecursionLimit,
        string.Create(CultureInfo.InvariantCulture, $"脚本递归层数超过上限（{_limits.MaxRecursionDepth}）"),
        ex);

    private static ScriptException Cancelled(Exception? ex) => new(ScriptFailure.Cancelled, "脚本已取消", ex);

    internal static ScriptException SyntaxError(ParseErrorException ex) => new(
        ScriptFailure.Syntax,
        // LineNumber is 1-based, Column 0-based; people count columns from 1.
        string.Create(CultureInfo.InvariantCulture, $"脚本语法错误（第 {ex.LineNumber} 行第 {ex.Column + 1} 列）：{ParserMessages.Chinese(ex.Description)}"),
        ex);

    private string TimeoutMessage() => string.Create(
        CultureInfo.InvariantCulture, $"脚本执行超时（超过 {_limits.Timeout.TotalMilliseconds:0.###} 毫秒）");

    internal static string FormatBytes(long bytes) => bytes switch
    {
        _ when bytes % (1024 * 1024) == 0 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024 * 1024)} MB"),
        _ when bytes % 1024 == 0 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024} KB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes} 字节"),
    };

    /// <summary>The stack guard's uncaught <c>RangeError: Maximum call stack size exceeded</c>.</summary>
    private static bool IsStackOverflow(JavaScriptException ex) =>
        ex.Error is JsError && ex.Message.Contains("Maximum call stack size exceeded", StringComparison.Ordinal)
        && SafeGetString(ex.Error, "name") == "RangeError";

    /// <summary>"ReferenceError: x is not defined" for errors; the thrown value's text for anything else.</summary>
    private static string Describe(JavaScriptException ex)
    {
        if (ex.Error is ObjectInstance error)
        {
            var name = SafeGetString(error, "name");
            var message = SafeGetString(error, "message");
            if (!string.IsNullOrEmpty(name))
            {
                return string.IsNullOrEmpty(message) ? name : $"{name}: {message}";
            }

            if (!string.IsNullOrEmpty(message))
            {
                return message;
            }
        }

        return ex.Message;
    }

    /// <summary>
    /// Reads a string property of a thrown object. A getter runs script code, still under the engine's limits;
    /// whatever it throws is ignored.
    /// </summary>
    private static string? SafeGetString(JsValue value, string property)
    {
        try
        {
            return value is ObjectInstance obj && obj.Get(property) is JsString text ? text.ToString() : null;
        }
        catch (Exception)
        {
            return null;
        }
    }
}
