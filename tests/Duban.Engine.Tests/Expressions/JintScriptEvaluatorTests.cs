using System.Text.Json.Nodes;
using Duban.Engine.Expressions;

namespace Duban.Engine.Tests.Expressions;

/// <summary>Warms the JIT once so the one-second bounds below measure the sandbox, not first-call compilation.</summary>
public sealed class JintWarmup
{
    public JintWarmup()
    {
        var evaluator = new JintScriptEvaluator();
        evaluator.Evaluate(
            "var a = [1, 2, 3].map(function (x) { return x * 2; }); vars.n = a.length; vars.s = new Array(1000).join('x') + 'y'.repeat(10); a",
            JintScriptEvaluatorTests.EmptyScope());
        evaluator.CheckSyntax("var = ;");
    }
}

public sealed class JintScriptEvaluatorTests : IClassFixture<JintWarmup>
{
    private readonly JintScriptEvaluator _evaluator = new();

    public JintScriptEvaluatorTests(JintWarmup warmup)
    {
        ArgumentNullException.ThrowIfNull(warmup);
    }

    internal static ScriptScope EmptyScope() => new(new JsonObject(), new JsonObject());

    private static ScriptScope SampleScope() => new(
        Variables: new JsonObject { ["count"] = 1, ["obsolete"] = "x" },
        Item: new JsonObject { ["level"] = "紧急", ["title"] = "督办事项" },
        Form: new JsonObject { ["amount"] = 1500, ["approved"] = true },
        User: new JsonObject
        {
            ["id"] = "u1",
            ["name"] = "张三",
            ["unitId"] = "d1",
            ["unitName"] = "督查室",
            ["roles"] = new JsonArray("督办员", "承办人"),
        });

    /// <summary>Runs a script expected to fail; asserts the failure kind and that it cost less than a second (<see cref="ScriptCost"/>).</summary>
    private static ScriptException AssertFailsQuickly(
        IScriptEvaluator evaluator, string script, ScriptFailure expected, ScriptScope? scope = null, CancellationToken token = default)
    {
        var (ex, cost) = ScriptCost.MeasureThrows<ScriptException>(() => evaluator.Evaluate(script, scope ?? EmptyScope(), token));
        Assert.Equal(expected, ex.Failure);
        cost.AssertQuick(ex.Message);
        return ex;
    }

    // ---- limits ------------------------------------------------------------------------------------------

    [Fact]
    public void Endless_loop_fails_as_timeout_within_a_second()
    {
        // Statements high enough that the clock, not the counter, stops the loop.
        var evaluator = new JintScriptEvaluator(new ScriptLimits { Timeout = TimeSpan.FromMilliseconds(200), MaxStatements = 1_000_000_000 });

        var ex = AssertFailsQuickly(evaluator, "while (true) {}", ScriptFailure.Timeout);

        Assert.Equal("脚本执行超时（超过 200 毫秒）", ex.Message);
    }

    [Fact]
    public void Endless_loop_with_default_limits_stops_within_a_second()
    {
        var ex = AssertFailsQuickly(_evaluator, "while (true) {}", ScriptFailure.StatementLimit);

        Assert.Equal("脚本执行语句数超过上限（200000）", ex.Message);
    }

    [Fact]
    public void Endless_loop_fails_as_statement_limit_when_statements_run_out_first()
    {
        var evaluator = new JintScriptEvaluator(new ScriptLimits { Timeout = TimeSpan.FromSeconds(5), MaxStatements = 1_000 });

        var ex = AssertFailsQuickly(evaluator, "var i = 0; while (true) { i++; }", ScriptFailure.StatementLimit);

        Assert.Equal("脚本执行语句数超过上限（1000）", ex.Message);
    }

    [Fact]
    public void Memory_bomb_of_joined_arrays_fails_as_memory_limit_within_a_second()
    {
        // Generous clock and counter so memory is what stops it.
        var evaluator = new JintScriptEvaluator(new ScriptLimits
        {
            Timeout = TimeSpan.FromSeconds(5),
            MaxStatements = 1_000_000_000,
            MaxMemoryBytes = 1024 * 1024, // each join of 100 000 holes costs ~10 ms; 1 MB is ~6 rounds
        });

        var ex = AssertFailsQuickly(
            evaluator, "var a = []; while (true) { a.push(new Array(100000).join('x')); }", ScriptFailure.MemoryLimit);

        Assert.Equal("脚本占用内存超过上限（1 MB）", ex.Message);
    }

    [Theory]
    [InlineData("'x'.repeat(1 << 28)")]
    [InlineData("'x'.padEnd(1 << 28)")]
    [InlineData("'x'.padStart(1 << 28, 'ab')")]
    [InlineData("new Array(1 << 26).fill(0)")]
    [InlineData("var s = 'x'.repeat(1 << 21); new Array(1000).fill(s).join('')")]
    [InlineData("new Array(1 << 20).join('abcdefghijklmnopqrstuvwxyz'.repeat(20))")]
    [InlineData("var s = 'x'.repeat(1 << 21); var a = [s, s]; [a, a, a, a, a, a, a, a, a, a, a, a, a, a, a, a, a, a, a, a, a, a, a, a, a, a, a, a, a, a].join()")]
    [InlineData("Array.prototype.join.call({ length: 1 << 30 }, 'x')")]
    [InlineData("var s = 'x'.repeat(1 << 21); new Array(1000).fill(s).toLocaleString()")]
    [InlineData("var s = 'x'.repeat(1 << 21); ''.concat.apply('', new Array(1000).fill(s))")]
    [InlineData("'x'.repeat(1 << 17).replaceAll('x', 'abcdefghijklmnopqrstuvwxyz'.repeat(40))")]
    [InlineData("'x'.repeat(1 << 14).replace(/x/g, '$`')")]
    [InlineData("'x'.repeat(1 << 14).replace(/(x)/g, \"$'$1$&\")")]
    [InlineData("var s = 'y'.repeat(1 << 20); 'x'.repeat(128).replace(/x/g, function () { return s; })")]
    [InlineData("var s = 'x'.repeat(1 << 21); JSON.stringify(new Array(60).fill(s))")]
    [InlineData("var s = '\\u0001'.repeat(1 << 20); JSON.stringify([s, s, s, s, s, s, s, s, s, s, s, s, s, s, s, s, s, s, s, s])")]
    [InlineData("var o = { a: 'x'.repeat(1 << 21) }; JSON.stringify(new Array(60).fill(o), null, 10)")]
    [InlineData("var s = 'x'.repeat(1 << 21); vars.big = new Array(60).fill(s); 1")]
    [InlineData("var s = 'x'.repeat(1 << 21); new Array(60).fill(s)")]
    public void One_call_that_would_build_a_value_past_the_memory_limit_fails_before_building_it(string script)
    {
        // The memory limit is measured between statements: each of these would allocate 256 MB–1 GB in one statement.
        var before = GC.GetAllocatedBytesForCurrentThread();
        var ex = Assert.Throws<ScriptException>(() => _evaluator.Evaluate(script, EmptyScope()));
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.True(ex.Failure is ScriptFailure.MemoryLimit or ScriptFailure.Runtime, $"{ex.Failure}: {ex.Message}");
        // Within a few times the 16 MB limit (the builders' buffers and the pieces they copy), never the 256 MB–1 GB asked for.
        Assert.True(allocated < 5 * ScriptLimits.Default.MaxMemoryBytes, $"{script} allocated {allocated / 1024 / 1024} MB before failing");
    }

    [Theory]
    [InlineData("[1, [2, [3, null]], undefined, 'a'].join('-')", "1-2,3,--a")]
    [InlineData("var a = [1]; a.push(a, 2); a.join()", "1,,2")]
    [InlineData("Array.prototype.join.call({ length: 3, 0: 'a', 2: 'c' }, '+') + Array.prototype.join.call('xyz')", "a++cx,y,z")]
    [InlineData("[1.5, 'b', null, { toLocaleString: function () { return 'L'; } }].toLocaleString() + String([4, 5])", "1.5,b,,L4,5")]
    [InlineData("'a'.concat(1, null, undefined, [2, 3], { toString: function () { return 'o'; } })", "a1nullundefined2,3o")]
    [InlineData("'aXbXc'.replaceAll('X', '$$-$&-') + '|' + 'abc'.replace('b', \"[$`|$']\")", "a$-X-b$-X-c|a[a|c]c")]
    [InlineData("'2026-12-07'.replace(/(\\d+)-(\\d+)-(\\d+)/, '$3/$2/$1 $0 $4 $10 $<y>')", "07/12/2026 $0 $4 20260 $<y>")]
    [InlineData("'2026-12'.replace(/(?<y>\\d+)-(?<m>\\d+)/, '$<m>.$<y>.$<z>|$<m')", "12.2026.|$<m")]
    [InlineData("'a1b2'.replace(/\\d/g, function (d, i, s) { return '[' + d + i + s.length + ']'; })", "a[114]b[234]")]
    [InlineData("'aaa'.replace(/a/g, 'b') + 'x'.replace('y', 'z') + 'a.b'.replaceAll('.', '$')", "bbbxa$b")]
    [InlineData("JSON.stringify({ a: [1, 'x\\n\\u0001\\ud800'], b: undefined, c: function () {}, d: new String('s'), e: { toJSON: function () { return 7; } } })", "{\"a\":[1,\"x\\n\\u0001\\ud800\"],\"d\":\"s\",\"e\":7}")]
    [InlineData("JSON.stringify({ a: 1, b: [true, null] }, null, 2)", "{\n  \"a\": 1,\n  \"b\": [\n    true,\n    null\n  ]\n}")]
    [InlineData("JSON.stringify({ a: 1, b: 2, c: { a: 3, d: 4 } }, ['a', 'c'])", "{\"a\":1,\"c\":{\"a\":3}}")]
    [InlineData("JSON.stringify({ a: 1, b: 'x' }, function (k, v) { return typeof v === 'number' ? v * 10 : v; }, '--')", "{\n--\"a\": 10,\n--\"b\": \"x\"\n}")]
    [InlineData("String(JSON.stringify(undefined)) + JSON.stringify('q') + JSON.stringify([undefined, function () {}])", "undefined\"q\"[null,null]")]
    public void The_bounded_builders_give_what_the_language_gives(string script, string expected)
    {
        var result = _evaluator.Evaluate(script, EmptyScope());

        Assert.Equal(expected, result.Value!.GetValue<string>());
    }

    [Fact]
    public void A_result_within_the_limit_still_serializes_in_full()
    {
        var result = _evaluator.Evaluate("var s = 'x'.repeat(1 << 20); vars.s = s; JSON.stringify([s, s]).length", EmptyScope());

        Assert.Equal((1 << 21) + 7, result.Value!.GetValue<double>());
        Assert.Equal(1 << 20, result.Variables["s"]!.GetValue<string>().Length);
    }

    [Fact]
    public void The_growing_string_methods_still_work_within_the_limit()
    {
        var result = _evaluator.Evaluate(
            "'ab'.repeat(3) + 'x'.padStart(3, '-') + '7'.padEnd(2, '0') + 'q'.repeat(1000).length + [1, 'b', null].join('-') + [2, 3].join()", EmptyScope());

        Assert.Equal("ababab--x701000" + "1-b-" + "2,3", result.Value!.GetValue<string>());
    }

    [Fact]
    public void An_evaluation_waits_for_its_turn_and_fails_as_a_timeout_when_none_comes()
    {
        using var gate = new SemaphoreSlim(1, 1);
        var evaluator = new JintScriptEvaluator(ScriptLimits.Default, 16, gate, TimeSpan.FromMilliseconds(100));
        gate.Wait(); // another evaluation holds the only turn

        var ex = Assert.Throws<ScriptException>(() => evaluator.Evaluate("1 + 1", EmptyScope()));
        Assert.Equal(ScriptFailure.Timeout, ex.Failure);
        Assert.Contains("同时运行的脚本过多", ex.Message, StringComparison.Ordinal);

        gate.Release();
        Assert.Equal(2, evaluator.Evaluate("1 + 1", EmptyScope()).Value!.GetValue<int>());
        Assert.Equal(1, gate.CurrentCount); // its turn given back
    }

    [Fact]
    public void Memory_bomb_of_strings_fails_as_memory_limit_with_default_limits()
    {
        // Default memory and statement limits; the timeout is widened so that on a loaded machine the memory
        // limit — not the clock — is what stops the script. It must still stop within the wall-clock bound.
        var evaluator = new JintScriptEvaluator(ScriptLimits.Default with { Timeout = TimeSpan.FromSeconds(10) });
        var ex = AssertFailsQuickly(
            evaluator, "var a = []; var i = 0; while (true) { a.push('x'.repeat(100000) + i++); }", ScriptFailure.MemoryLimit);

        Assert.Equal("脚本占用内存超过上限（16 MB）", ex.Message);
    }

    [Fact]
    public void Doubling_string_fails_as_memory_limit_within_a_second()
    {
        AssertFailsQuickly(_evaluator, "var s = 'x'; while (true) { s = s + s; }", ScriptFailure.MemoryLimit);
    }

    [Fact]
    public void Huge_buffers_are_not_available_to_scripts()
    {
        // An ArrayBuffer is allocated in one go before any limit can look; the constructors are removed.
        var ex = AssertFailsQuickly(_evaluator, "new ArrayBuffer(2000000000).byteLength", ScriptFailure.Runtime);
        Assert.Equal("脚本运行错误：ReferenceError: ArrayBuffer is not defined", ex.Message);

        var result = _evaluator.Evaluate(
            "[typeof ArrayBuffer, typeof SharedArrayBuffer, typeof Uint8Array, typeof Float64Array, typeof DataView, typeof Atomics, typeof ShadowRealm]",
            EmptyScope());
        Assert.All(result.Value!.AsArray(), t => Assert.Equal("undefined", t!.GetValue<string>()));
    }

    [Fact]
    public void Deep_recursion_fails_as_recursion_limit_within_a_second()
    {
        var ex = AssertFailsQuickly(_evaluator, "function f() { return f(); } f()", ScriptFailure.RecursionLimit);

        Assert.Equal("脚本递归层数超过上限（128）", ex.Message);
    }

    [Fact]
    public void Non_tail_recursion_fails_as_recursion_limit_within_a_second()
    {
        AssertFailsQuickly(_evaluator, "function f(n) { return 1 + f(n + 1); } f(0)", ScriptFailure.RecursionLimit);
    }

    [Fact]
    public void Native_stack_exhaustion_fails_as_recursion_limit_instead_of_crashing()
    {
        // A depth limit too high to be reached: the stack guard's RangeError is what stops it.
        var evaluator = new JintScriptEvaluator(new ScriptLimits
        {
            Timeout = TimeSpan.FromSeconds(10),
            MaxStatements = 1_000_000_000,
            MaxRecursionDepth = 10_000_000,
        });

        var ex = Assert.Throws<ScriptException>(() => evaluator.Evaluate("function f(n) { return 1 + f(n + 1); } f(0)", EmptyScope()));

        Assert.Equal(ScriptFailure.RecursionLimit, ex.Failure);
    }

    [Fact]
    public void Catastrophic_regex_fails_as_timeout_within_a_second()
    {
        var evaluator = new JintScriptEvaluator(new ScriptLimits { Timeout = TimeSpan.FromMilliseconds(200) });

        AssertFailsQuickly(evaluator, "/^(a+)+$/.test('a'.repeat(40) + '!')", ScriptFailure.Timeout);
    }

    [Fact]
    public void Blocking_atomics_wait_is_refused_within_a_second()
    {
        AssertFailsQuickly(_evaluator, "Atomics.wait(null, 0, 0)", ScriptFailure.Runtime);
    }

    [Fact]
    public void Endless_promise_job_fails_as_timeout_within_a_second()
    {
        var evaluator = new JintScriptEvaluator(new ScriptLimits { Timeout = TimeSpan.FromMilliseconds(200), MaxStatements = 1_000_000_000 });

        AssertFailsQuickly(evaluator, "Promise.resolve().then(function () { while (true) {} }); 1", ScriptFailure.Timeout);
    }

    [Fact]
    public void Endless_toJSON_of_the_result_fails_as_timeout_within_a_second()
    {
        var evaluator = new JintScriptEvaluator(new ScriptLimits { Timeout = TimeSpan.FromMilliseconds(200), MaxStatements = 1_000_000_000 });

        AssertFailsQuickly(evaluator, "({ toJSON: function () { while (true) {} } })", ScriptFailure.Timeout);
        AssertFailsQuickly(evaluator, "vars.x = { toJSON: function () { while (true) {} } }; 1", ScriptFailure.Timeout);
    }

    [Fact]
    public void Already_cancelled_token_fails_as_cancelled_within_a_second()
    {
        using var cts = new CancellationTokenSource();
        cts.Cancel();

        var ex = AssertFailsQuickly(_evaluator, "1 + 1", ScriptFailure.Cancelled, token: cts.Token);
        AssertFailsQuickly(_evaluator, "while (true) {}", ScriptFailure.Cancelled, token: cts.Token);

        Assert.Equal("脚本已取消", ex.Message);
    }

    [Fact]
    public void Cancelling_a_running_script_fails_as_cancelled_within_a_second()
    {
        var evaluator = new JintScriptEvaluator(new ScriptLimits { Timeout = TimeSpan.FromSeconds(10), MaxStatements = 1_000_000_000 });
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));

        AssertFailsQuickly(evaluator, "while (true) {}", ScriptFailure.Cancelled, token: cts.Token);
    }

    [Fact]
    public void Evaluator_still_works_after_a_timeout()
    {
        var evaluator = new JintScriptEvaluator(new ScriptLimits { Timeout = TimeSpan.FromMilliseconds(100), MaxStatements = 1_000_000_000 });
        AssertFailsQuickly(evaluator, "while (true) {}", ScriptFailure.Timeout);

        var result = evaluator.Evaluate("vars.after = 'ok'; 1 + 1", EmptyScope());

        Assert.Equal(2, result.Value!.GetValue<int>());
        Assert.Equal("ok", result.Variables["after"]!.GetValue<string>());
    }

    [Fact]
    public void Evaluator_still_works_after_every_kind_of_failure()
    {
        AssertFailsQuickly(_evaluator, "while (true) {}", ScriptFailure.StatementLimit);
        AssertFailsQuickly(_evaluator, "var s = 'x'; while (true) { s = s + s; }", ScriptFailure.MemoryLimit);
        AssertFailsQuickly(_evaluator, "function f() { return f(); } f()", ScriptFailure.RecursionLimit);
        AssertFailsQuickly(_evaluator, "throw new Error('x')", ScriptFailure.Runtime);

        Assert.Equal(3, _evaluator.Evaluate("1 + 2", EmptyScope()).Value!.GetValue<int>());
    }

    // ---- no .NET -----------------------------------------------------------------------------------------

    [Theory]
    [InlineData("System.IO.File.ReadAllText('/etc/passwd')", "脚本运行错误：ReferenceError: System is not defined")]
    [InlineData("importNamespace('System.IO')", "脚本运行错误：ReferenceError: importNamespace is not defined")]
    [InlineData("clrHelper.getType(vars)", "脚本运行错误：ReferenceError: clrHelper is not defined")]
    [InlineData("host.type('System.IO.File')", "脚本运行错误：ReferenceError: host is not defined")]
    public void Reaching_for_dotnet_fails_as_runtime_error_within_a_second(string script, string message)
    {
        var ex = AssertFailsQuickly(_evaluator, script, ScriptFailure.Runtime, SampleScope());

        Assert.Equal(message, ex.Message);
    }

    [Fact]
    public void Globals_are_plain_javascript_data_with_no_dotnet_behind_them()
    {
        const string script = """
            var globalObject = (function () { return this; })();
            [
              typeof System, typeof importNamespace, typeof clrHelper, typeof host, typeof require,
              Object.getPrototypeOf(vars) === Object.prototype,
              Object.getPrototypeOf(item) === Object.prototype,
              Array.isArray(user.roles),
              typeof vars.GetType, typeof vars.constructor.GetType,
              globalObject === undefined
            ]
            """;

        var result = _evaluator.Evaluate(script, SampleScope());

        Assert.Equal(
            """["undefined","undefined","undefined","undefined","undefined",true,true,true,"undefined","undefined",true]""",
            result.Value!.ToJsonString());
    }

    [Fact]
    public void Clr_objects_inside_json_values_arrive_as_plain_data()
    {
        var scope = new ScriptScope(
            new JsonObject { ["file"] = JsonValue.Create(new ClrPayload("/etc/passwd", 3)) },
            new JsonObject());

        var result = _evaluator.Evaluate(
            "[Object.keys(vars.file).join(','), typeof vars.file.ReadAll, Object.getPrototypeOf(vars.file) === Object.prototype]",
            scope);

        Assert.Equal("""["Path,Size","undefined",true]""", result.Value!.ToJsonString());
    }

    public sealed record ClrPayload(string Path, int Size)
    {
        public string ReadAll() => File.ReadAllText(Path);
    }

    // ---- syntax ------------------------------------------------------------------------------------------

    [Fact]
    public void Syntax_error_fails_as_syntax_with_line_and_column_within_a_second()
    {
        var ex = AssertFailsQuickly(_evaluator, "var a = 1;\nvar b = ;", ScriptFailure.Syntax);

        Assert.StartsWith("脚本语法错误（第 2 行第 9 列）：", ex.Message);
    }

    [Theory]
    [InlineData("item.needLeader === '是", "缺少结束引号")]
    [InlineData("item.amount > 1000 && (item.level === '省级'", "缺少右括号")]
    [InlineData("item.level = '省级'", null)]
    [InlineData("item.level === ‘省级’", "中文标点")]
    [InlineData("item.level === '省级' item.amount", "缺少运算符")]
    [InlineData("let a = 1; let a = 2; a", "变量「a」重复声明")]
    [InlineData("with (vars) { count = 2; }", "严格模式下不能使用 with")]
    public void Parser_messages_are_in_chinese(string script, string? fragment)
    {
        var message = _evaluator.CheckSyntax(script);
        if (fragment is null)
        {
            Assert.Null(message); // an assignment parses; it is not a syntax error
            return;
        }
        Assert.NotNull(message);
        Assert.Contains(fragment, message);
        Assert.DoesNotMatch("[A-Za-z]{4,}", message.Replace("with", "", StringComparison.Ordinal));
    }

    [Fact]
    public void Strict_mode_rules_are_syntax_errors()
    {
        var ex = AssertFailsQuickly(_evaluator, "with (vars) { count = 2; }", ScriptFailure.Syntax);

        Assert.StartsWith("脚本语法错误（第 1 行第 1 列）：", ex.Message);
    }

    [Fact]
    public void Assigning_an_undeclared_variable_fails_in_strict_mode()
    {
        var ex = AssertFailsQuickly(_evaluator, "total = 1", ScriptFailure.Runtime);

        Assert.Equal("脚本运行错误：ReferenceError: total is not defined", ex.Message);
    }

    [Fact]
    public void CheckSyntax_returns_null_for_a_valid_script_without_running_it()
    {
        Assert.Null(_evaluator.CheckSyntax("while (true) {}"));
        Assert.Null(_evaluator.CheckSyntax("form.amount > 1000 && user.roles.indexOf('督办员') >= 0"));
    }

    [Fact]
    public void CheckSyntax_returns_the_same_chinese_message_as_evaluate()
    {
        const string script = "if (form.amount > 1000 {\n  vars.big = true;\n}";

        var message = _evaluator.CheckSyntax(script);
        var ex = Assert.Throws<ScriptException>(() => _evaluator.Evaluate(script, SampleScope()));

        Assert.NotNull(message);
        Assert.StartsWith("脚本语法错误（第 1 行第 ", message);
        Assert.Equal(ex.Message, message);
    }

    [Fact]
    public void Deeply_nested_script_is_a_syntax_error_not_a_crash()
    {
        var script = new string('(', 100_000) + "1" + new string(')', 100_000);

        Assert.NotNull(_evaluator.CheckSyntax(script));
        var ex = Assert.Throws<ScriptException>(() => _evaluator.Evaluate(script, EmptyScope()));
        Assert.Equal(ScriptFailure.Syntax, ex.Failure);
    }

    // ---- results and globals -----------------------------------------------------------------------------

    [Fact]
    public void Condition_over_form_item_and_user_returns_a_boolean()
    {
        var scope = SampleScope();

        var yes = _evaluator.Evaluate("form.amount > 1000 && item.level === '紧急' && user.roles.indexOf('督办员') >= 0", scope);
        var no = _evaluator.Evaluate("form.approved && user.unitName === '办公厅'", scope);

        Assert.True(yes.Value!.GetValue<bool>());
        Assert.False(no.Value!.GetValue<bool>());
    }

    [Fact]
    public void Absent_form_and_user_are_null()
    {
        var result = _evaluator.Evaluate("[form === null, user === null, form && form.amount]", EmptyScope());

        Assert.Equal("[true,true,null]", result.Value!.ToJsonString());
    }

    [Fact]
    public void Variable_changes_come_back()
    {
        var scope = SampleScope();

        var result = _evaluator.Evaluate(
            "vars.count = (vars.count || 0) + 1; vars.note = '已催办'; vars.list = [1, { a: true }]; delete vars.obsolete;",
            scope);

        Assert.Equal("""{"count":2,"note":"已催办","list":[1,{"a":true}]}""", result.Variables.ToJsonString(Unescaped));
    }

    [Fact]
    public void Counter_starts_from_nothing()
    {
        var result = _evaluator.Evaluate("vars.count = (vars.count || 0) + 1", EmptyScope());

        Assert.Equal(1, result.Variables["count"]!.GetValue<int>());
        Assert.Equal(1, result.Value!.GetValue<int>());
    }

    [Fact]
    public void Replacing_vars_with_a_new_object_comes_back()
    {
        var result = _evaluator.Evaluate("vars = { fresh: true }; null", SampleScope());

        Assert.Equal("""{"fresh":true}""", result.Variables.ToJsonString());
    }

    [Fact]
    public void Replacing_vars_with_a_non_object_fails_as_runtime_error()
    {
        var ex = AssertFailsQuickly(_evaluator, "vars = 5", ScriptFailure.Runtime);

        Assert.Equal("脚本运行错误：vars 必须是对象", ex.Message);
    }

    [Fact]
    public void The_callers_scope_is_not_changed()
    {
        var scope = SampleScope();
        var before = scope.Variables.ToJsonString();

        _evaluator.Evaluate("vars.count = 99; item.level = '一般'; user.roles.push('管理员');", scope);

        Assert.Equal(before, scope.Variables.ToJsonString());
        Assert.Equal("紧急", scope.Item["level"]!.GetValue<string>());
        Assert.Equal(2, scope.User!["roles"]!.AsArray().Count);
    }

    [Fact]
    public void Extra_globals_are_visible()
    {
        var scope = SampleScope() with
        {
            Extra = new Dictionary<string, JsonNode?>
            {
                ["limitDays"] = 5,
                ["holidays"] = new JsonArray("2025-10-01", "2025-10-02"),
                ["nothing"] = null,
            },
        };

        var result = _evaluator.Evaluate("[limitDays * 2, holidays.length, nothing === null]", scope);

        Assert.Equal("[10,2,true]", result.Value!.ToJsonString());
    }

    [Fact]
    public void Extra_global_named_like_a_standard_one_is_refused()
    {
        var scope = EmptyScope() with { Extra = new Dictionary<string, JsonNode?> { ["vars"] = 1 } };

        Assert.Throws<ArgumentException>(() => _evaluator.Evaluate("1", scope));
    }

    [Fact]
    public void Arrays_and_objects_round_trip()
    {
        var scope = new ScriptScope(
            new JsonObject { ["list"] = new JsonArray(1, 2, 3), ["nested"] = new JsonObject { ["s"] = "中文", ["n"] = null } },
            new JsonObject());

        var result = _evaluator.Evaluate(
            "({ doubled: vars.list.map(function (x) { return x * 2; }), nested: vars.nested, ok: true, half: 0.5 })", scope);

        Assert.Equal(
            """{"doubled":[2,4,6],"nested":{"s":"中文","n":null},"ok":true,"half":0.5}""",
            result.Value!.ToJsonString(Unescaped));
        Assert.Equal(scope.Variables.ToJsonString(), result.Variables.ToJsonString());
    }

    [Theory]
    [InlineData("'文本'", "\"文本\"")]
    [InlineData("42", "42")]
    [InlineData("1.25", "1.25")]
    [InlineData("true", "true")]
    [InlineData("[1, 'a', null]", "[1,\"a\",null]")]
    [InlineData("new Date(0)", "\"1970-01-01T00:00:00.000Z\"")]
    public void Completion_values_convert_to_json(string script, string json)
    {
        var result = _evaluator.Evaluate(script, EmptyScope());

        Assert.Equal(json, result.Value!.ToJsonString(Unescaped));
    }

    [Theory]
    [InlineData("undefined")]
    [InlineData("null")]
    [InlineData("var x = 1;")]
    [InlineData("(function () {})")]
    [InlineData("Symbol('s')")]
    [InlineData("NaN")]
    public void Undefined_null_and_unserialisable_completion_values_are_null(string script)
    {
        Assert.Null(_evaluator.Evaluate(script, EmptyScope()).Value);
    }

    [Fact]
    public void Thrown_errors_are_described_by_name_and_message()
    {
        Assert.Equal("脚本运行错误：TypeError: Cannot read properties of null (reading 'x')",
            AssertFailsQuickly(_evaluator, "null.x", ScriptFailure.Runtime).Message);
        Assert.Equal("脚本运行错误：Error: 金额不能为负",
            AssertFailsQuickly(_evaluator, "throw new Error('金额不能为负')", ScriptFailure.Runtime).Message);
        Assert.Equal("脚本运行错误：boom",
            AssertFailsQuickly(_evaluator, "throw 'boom'", ScriptFailure.Runtime).Message);
    }

    [Fact]
    public void Thrown_error_with_a_hostile_message_getter_still_stops_within_a_second()
    {
        var evaluator = new JintScriptEvaluator(new ScriptLimits { Timeout = TimeSpan.FromMilliseconds(200), MaxStatements = 1_000_000_000 });
        var (ex, cost) = ScriptCost.MeasureThrows<ScriptException>(() => evaluator.Evaluate(
            "var e = new Error('x'); Object.defineProperty(e, 'message', { get: function () { while (true) {} } }); throw e;",
            EmptyScope()));

        // Jint reads the message while raising the error, so the getter's loop runs into the clock.
        Assert.Contains(ex.Failure, new[] { ScriptFailure.Timeout, ScriptFailure.Runtime });
        cost.AssertQuick(ex.Message);
    }

    [Fact]
    public void Eval_of_javascript_works_inside_the_sandbox()
    {
        Assert.Equal(3, _evaluator.Evaluate("eval('1 + 2')", EmptyScope()).Value!.GetValue<int>());
        AssertFailsQuickly(_evaluator, "eval('while (true) {}')", ScriptFailure.StatementLimit);
    }

    // ---- cache, isolation, concurrency -------------------------------------------------------------------

    [Fact]
    public void Cache_returns_same_results_on_repeated_calls()
    {
        const string script = "vars.count = (vars.count || 0) + 1; vars.count * 10";

        for (var i = 0; i < 5; i++)
        {
            var result = _evaluator.Evaluate(script, new ScriptScope(new JsonObject { ["count"] = i }, new JsonObject()));
            Assert.Equal((i + 1) * 10, result.Value!.GetValue<int>());
            Assert.Equal(i + 1, result.Variables["count"]!.GetValue<int>());
        }

        Assert.Null(_evaluator.CheckSyntax(script));
        Assert.Equal(1, _evaluator.CachedScriptCount);
    }

    [Fact]
    public void Cache_stays_within_its_capacity()
    {
        var evaluator = new JintScriptEvaluator(ScriptLimits.Default, cacheCapacity: 4);

        for (var i = 0; i < 20; i++)
        {
            Assert.Equal(i, evaluator.Evaluate($"{i}", EmptyScope()).Value!.GetValue<int>());
        }

        Assert.InRange(evaluator.CachedScriptCount, 1, 4);
    }

    [Fact]
    public void Scripts_cannot_see_each_others_globals()
    {
        _evaluator.Evaluate(
            "globalThis.leaked = 42; var declared = 1; Object.prototype.polluted = true; Array.prototype.push = null; JSON.stringify = null; vars.secret = 'a';",
            EmptyScope());

        var result = _evaluator.Evaluate(
            "[typeof leaked, typeof declared, ({}).polluted === undefined, typeof [].push, typeof JSON.stringify, vars.secret === undefined]",
            EmptyScope());

        Assert.Equal("""["undefined","undefined",true,"function","function",true]""", result.Value!.ToJsonString());
    }

    [Fact]
    public void Overriding_JSON_stringify_does_not_change_how_results_are_read()
    {
        var result = _evaluator.Evaluate("JSON.stringify = function () { return '\"hacked\"'; }; vars.a = 1; [1]", EmptyScope());

        Assert.Equal("[1]", result.Value!.ToJsonString());
        Assert.Equal("""{"a":1}""", result.Variables.ToJsonString());
    }

    [Fact]
    public void Concurrent_evaluations_from_8_threads_give_correct_independent_results()
    {
        const string script = "vars.total = (vars.total || 0) + vars.n * 2; globalThis.seen = (globalThis.seen || 0) + 1; [vars.n * 2, seen]";
        const int threads = 8;
        const int perThread = 100;
        var failures = new List<string>();
        using var start = new Barrier(threads);

        var workers = Enumerable.Range(0, threads).Select(t => new Thread(() =>
        {
            start.SignalAndWait();
            for (var i = 0; i < perThread; i++)
            {
                var n = t * 1000 + i;
                var result = _evaluator.Evaluate(script, new ScriptScope(new JsonObject { ["n"] = n, ["total"] = 1 }, new JsonObject()));
                var value = result.Value!.AsArray();
                if (value[0]!.GetValue<int>() != n * 2 || value[1]!.GetValue<int>() != 1
                    || result.Variables["total"]!.GetValue<int>() != 1 + n * 2)
                {
                    lock (failures)
                    {
                        failures.Add($"thread {t} run {i}: {value.ToJsonString()} {result.Variables.ToJsonString()}");
                    }
                }
            }
        })).ToList();

        workers.ForEach(w => w.Start());
        workers.ForEach(w => w.Join());

        Assert.Empty(failures);
        Assert.Equal(1, _evaluator.CachedScriptCount);
    }

    [Fact]
    public void Limits_must_all_be_set()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new JintScriptEvaluator(new ScriptLimits { Timeout = TimeSpan.Zero }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new JintScriptEvaluator(new ScriptLimits { MaxStatements = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new JintScriptEvaluator(new ScriptLimits { MaxMemoryBytes = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new JintScriptEvaluator(new ScriptLimits { MaxRecursionDepth = -1 }));
    }

    private static readonly System.Text.Json.JsonSerializerOptions Unescaped = new()
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };
}
