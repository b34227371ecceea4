using System.Text;
using Jint;
using Jint.Native;
using Jint.Native.Json;
using Jint.Native.Object;
using Jint.Runtime;
using Jint.Runtime.Descriptors;
using Jint.Runtime.Interop;
using JsEngine = Jint.Engine;

namespace Duban.Engine.Expressions;

/// <summary>
/// The calls that build one string out of many pieces, bounded while they build. The memory limit is measured between
/// statements, and Jint lets one string grow to V8's maximum (about 1 GB) — so <c>'x'.repeat(1e5).replace(/x/g, '$`')</c>,
/// <c>JSON.stringify(new Array(1000).fill(s))</c> or <c>[a, a, a].join()</c> of a large <c>a</c> would allocate far past
/// the limit in one statement. Each call here counts what it is about to add and stops at <c>mostChars</c> (half the
/// memory limit: a .NET character takes two bytes), so one statement builds at most about the memory limit. Each follows
/// the specification's algorithm, so a script within the limit gets the same result as before.
/// </summary>
internal static class ScriptStringBounds
{
    public static void Install(JsEngine engine, double mostChars)
    {
        var global = engine.Global;
        var arrays = global.Get("Array").AsObject().Get("prototype").AsObject();
        var strings = global.Get("String").AsObject().Get("prototype").AsObject();
        var joining = new HashSet<ObjectInstance>(ReferenceEqualityComparer.Instance);
        Replace(engine, arrays, "join", 1, (self, args) => Join(engine, self, args.At(0), joining, mostChars, locale: false));
        Replace(engine, arrays, "toLocaleString", 0, (self, _) => Join(engine, self, JsValue.Undefined, joining, mostChars, locale: true));
        Replace(engine, strings, "concat", 1, (self, args) => Concat(engine, self, args, mostChars));
        foreach (var name in (string[])["replace", "replaceAll"])
        {
            var original = strings.Get(name);
            Replace(engine, strings, name, 2, (self, args) =>
                engine.Invoke(original, self, [args.At(0), Replacer(engine, name, self, args.At(1), mostChars)]));
        }

        var serializer = new JsonSerializer(engine);
        Replace(engine, global.Get("JSON").AsObject(), "stringify", 3,
            (_, args) => Serialize(engine, serializer, args.At(0), mostChars, args.At(1), args.At(2)));
    }

    /// <summary>Sets <paramref name="name"/> of <paramref name="target"/> to <paramref name="body"/>, as the built-in was (writable, not enumerable).</summary>
    public static void Replace(JsEngine engine, ObjectInstance target, string name, int length, Func<JsValue, JsValue[], JsValue> body) =>
        target.FastSetProperty(name, new PropertyDescriptor(new ClrFunction(engine, name, body, length), writable: true, enumerable: false, configurable: true));

    private static MemoryLimitExceededException Exceeded(string name) => new($"{name} would exceed the memory limit");

    /// <summary>Array.prototype.join (and toLocaleString): a cycle joins as empty, as browsers do.</summary>
    private static JsValue Join(JsEngine engine, JsValue self, JsValue separator, HashSet<ObjectInstance> joining, double mostChars, bool locale)
    {
        var array = ToObject(engine, self);
        if (!joining.Add(array)) return JsString.Empty;
        try
        {
            var length = TypeConverter.ToLength(array.Get("length"));
            var sep = separator.IsUndefined() ? "," : TypeConverter.ToString(separator);
            // Every element adds its separator; an array-like longer than the limit is refused before its walk.
            if (length > mostChars || (length > 1 && (length - 1) * (double)sep.Length > mostChars)) throw Exceeded(locale ? "toLocaleString" : "join");
            var result = new StringBuilder();
            for (ulong k = 0; k < length; k++)
            {
                if (k > 0) result.Append(sep);
                var element = array.Get(JsNumber.Create((double)k));
                if (element.IsNull() || element.IsUndefined()) continue;
                var text = locale
                    ? TypeConverter.ToString(engine.Call(ToObject(engine, element).Get("toLocaleString"), element, []))
                    : TypeConverter.ToString(element);
                if (result.Length + (double)text.Length > mostChars) throw Exceeded(locale ? "toLocaleString" : "join");
                result.Append(text);
            }
            return JsString.Create(result.ToString());
        }
        finally
        {
            joining.Remove(array);
        }
    }

    private static JsValue Concat(JsEngine engine, JsValue self, JsValue[] args, double mostChars)
    {
        if (self.IsNull() || self.IsUndefined()) throw new JavaScriptException(engine.Intrinsics.TypeError, "String.prototype.concat called on null or undefined");
        var result = new StringBuilder(TypeConverter.ToString(self));
        foreach (var arg in args)
        {
            var text = TypeConverter.ToString(arg);
            if (result.Length + (double)text.Length > mostChars) throw Exceeded("concat");
            result.Append(text);
        }
        return JsString.Create(result.ToString());
    }

    /// <summary>
    /// The replacement given to the built-in replace/replaceAll as a function that counts what it returns. A string
    /// replacement is expanded here as the specification's GetSubstitution does (<c>$$ $&amp; $` $' $n $nn $&lt;name&gt;</c>),
    /// its length counted before each piece is copied.
    /// </summary>
    private static JsValue Replacer(JsEngine engine, string name, JsValue self, JsValue replaceValue, double mostChars)
    {
        double total = self is JsString input ? input.Length : 0;
        void Add(double length)
        {
            total += length;
            if (total > mostChars) throw Exceeded(name);
        }

        if (replaceValue.IsCallable())
        {
            return new ClrFunction(engine, "", (_, args) =>
            {
                var text = TypeConverter.ToString(engine.Call(replaceValue, JsValue.Undefined, args));
                Add(text.Length);
                return text;
            }, 1);
        }

        var template = TypeConverter.ToString(replaceValue);
        if (!template.Contains('$'))
        {
            var constant = JsString.Create(template);
            return new ClrFunction(engine, "", (_, _) =>
            {
                Add(template.Length);
                return constant;
            }, 1);
        }
        return new ClrFunction(engine, "", (_, args) => JsString.Create(Substitute(template, args, Add)), 1);
    }

    /// <summary>GetSubstitution over a replacer's arguments: (matched, captures…, position, string[, groups]).</summary>
    private static string Substitute(string template, JsValue[] args, Action<double> add)
    {
        var matched = TypeConverter.ToString(args.At(0));
        var hasGroups = args.Length >= 4 && args[^1] is ObjectInstance;
        var groups = hasGroups ? (ObjectInstance)args[^1] : null;
        var tail = hasGroups ? 1 : 0;
        var str = TypeConverter.ToString(args.At(args.Length - 1 - tail));
        var position = (int)Math.Clamp(TypeConverter.ToIntegerOrInfinity(args.At(args.Length - 2 - tail)), 0, str.Length);
        var captures = args.Length - 3 - tail;
        var result = new StringBuilder();
        void Append(ReadOnlySpan<char> piece)
        {
            add(piece.Length);
            result.Append(piece);
        }

        for (var i = 0; i < template.Length;)
        {
            var c = template[i];
            var next = i + 1 < template.Length ? template[i + 1] : '\0';
            if (c != '$' || i + 1 >= template.Length)
            {
                Append(template.AsSpan(i, 1));
                i++;
            }
            else if (next == '$') { Append("$"); i += 2; }
            else if (next == '&') { Append(matched); i += 2; }
            else if (next == '`') { Append(str.AsSpan(0, position)); i += 2; }
            else if (next == '\'')
            {
                var after = Math.Min(str.Length, position + matched.Length);
                Append(str.AsSpan(after));
                i += 2;
            }
            else if (char.IsAsciiDigit(next))
            {
                var twoDigits = i + 2 < template.Length && char.IsAsciiDigit(template[i + 2]);
                var index = twoDigits ? (next - '0') * 10 + (template[i + 2] - '0') : next - '0';
                var digits = twoDigits ? 2 : 1;
                if (twoDigits && index > captures)
                {
                    index = next - '0';
                    digits = 1;
                }
                if (index >= 1 && index <= captures)
                {
                    var capture = args[index];
                    if (!capture.IsUndefined()) Append(TypeConverter.ToString(capture));
                }
                else
                {
                    Append(template.AsSpan(i, 1 + digits));
                }
                i += 1 + digits;
            }
            else if (next == '<' && groups is not null && template.IndexOf('>', i + 2) is var close and >= 0)
            {
                var capture = groups.Get(template[(i + 2)..close]);
                if (!capture.IsUndefined()) Append(TypeConverter.ToString(capture));
                i = close + 1;
            }
            else
            {
                Append("$");
                i++;
            }
        }
        return result.ToString();
    }

    /// <summary>
    /// JSON.stringify with its size counted as it goes: the built-in serializer is given a replacer (wrapping the
    /// script's own, if any) that adds what each key and value will write — escaped text, punctuation, indentation — and
    /// stops past <paramref name="mostChars"/>. A property list (an array replacer) is applied as a filter on each
    /// object's own keys.
    /// </summary>
    public static JsValue Serialize(JsEngine engine, JsonSerializer serializer, JsValue value, double mostChars,
        JsValue? replacer = null, JsValue? space = null)
    {
        replacer ??= JsValue.Undefined;
        space ??= JsValue.Undefined;
        var gap = GapLength(space);
        HashSet<string>? allowed = null;
        if (replacer is JsArray list)
        {
            allowed = new HashSet<string>(StringComparer.Ordinal);
            for (uint i = 0; i < list.Length; i++)
            {
                var item = list.Get(i);
                if (item.IsString() || item.IsNumber() || item is ObjectInstance o && IsStringObject(o)) allowed.Add(TypeConverter.ToString(item));
            }
        }

        var depth = new Dictionary<ObjectInstance, int>(ReferenceEqualityComparer.Instance);
        double total = 0;
        var first = true;
        var counting = new ClrFunction(engine, "", (holder, args) =>
        {
            var key = TypeConverter.ToString(args.At(0));
            var v = args.At(1);
            var holderObject = holder as ObjectInstance;
            var inArray = holder is JsArray;
            var root = first;
            first = false;
            if (!root && allowed is not null && !inArray && !allowed.Contains(key)) return JsValue.Undefined;
            if (replacer.IsCallable()) v = engine.Call(replacer, holder, [args.At(0), v]);
            var level = holderObject is not null && depth.TryGetValue(holderObject, out var d) ? d : 0;

            double cost = 0;
            if (!root)
            {
                cost += 1 + (gap > 0 ? 1 + gap * (double)level : 0); // the comma, the line break and indentation
                if (!inArray) cost += EscapedLength(key) + 3; // "key":
            }
            cost += v switch
            {
                JsString text => EscapedLength(text.ToString()) + 2,
                JsNumber => 24,
                JsBoolean => 5,
                _ when v.IsNull() => 4,
                _ when v.IsUndefined() || v.IsCallable() || v.IsSymbol() => inArray ? 4 : 0,
                ObjectInstance wrapped when IsStringObject(wrapped) => EscapedLength(TypeConverter.ToString(wrapped)) + 2,
                ObjectInstance => 2 + (gap > 0 ? 1 + gap * (double)level : 0),
                _ => 24,
            };
            if (v is ObjectInstance nested && !v.IsCallable()) depth[nested] = level + 1;
            total += cost;
            if (total > mostChars) throw Exceeded("JSON.stringify");
            return v;
        }, 2);
        return serializer.Serialize(value, counting, space);
    }

    /// <summary>ToObject: a primitive as its wrapper object (Object(x)); null and undefined a TypeError.</summary>
    private static ObjectInstance ToObject(JsEngine engine, JsValue value)
    {
        if (value is ObjectInstance o) return o;
        if (value.IsNull() || value.IsUndefined()) throw new JavaScriptException(engine.Intrinsics.TypeError, "Cannot convert undefined or null to object");
        return (ObjectInstance)engine.Call(engine.Intrinsics.Object, JsValue.Undefined, [value]);
    }

    /// <summary>A <c>new String(…)</c> wrapper, which JSON writes as its string (Jint's type for it is internal).</summary>
    private static bool IsStringObject(ObjectInstance o) => o.GetType().Name == "StringInstance";

    private static int GapLength(JsValue space)
    {
        if (space is ObjectInstance wrapper && !space.IsCallable())
            space = IsStringObject(wrapper) ? TypeConverter.ToString(space) : TypeConverter.ToNumber(space);
        if (space.IsNumber()) return (int)Math.Clamp(TypeConverter.ToIntegerOrInfinity(space), 0, 10);
        return space.IsString() ? Math.Min(10, TypeConverter.ToString(space).Length) : 0;
    }

    /// <summary>The length of <paramref name="text"/> as a JSON string's content (escapes; a lone surrogate as \uXXXX).</summary>
    private static double EscapedLength(string text)
    {
        double length = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c is '"' or '\\' or '\b' or '\f' or '\n' or '\r' or '\t') length += 2;
            else if (c < 0x20) length += 6;
            else if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])) { length += 2; i++; }
            else if (char.IsSurrogate(c)) length += 6;
            else length += 1;
        }
        return length;
    }
}
