import { parse } from 'acorn';
import type { Node } from 'acorn';

/**
 * A small, safe evaluator for the JavaScript conditions of a form (`visibleWhen`), so the browser can show and
 * hide fields as the user types. The server evaluates the same scripts with Jint, in a sandbox, and has the last
 * word; this evaluator never runs the script as code. It interprets a side-effect-free subset on JSON data:
 * literals, `item` / `form` / `vars` / `user`, member access (own properties only), arithmetic, comparison, logical
 * and conditional operators, array and template literals, arrow functions in `some` / `every` / `filter` / `map` /
 * `find`, and a list of string, array, Number and Math methods. Anything else throws {@link UnsupportedExpression};
 * callers then treat the answer as unknown.
 */
export class UnsupportedExpression extends Error {
  constructor(what: string) {
    super(`表达式不支持：${what}`);
    this.name = 'UnsupportedExpression';
  }
}

export type Globals = Record<string, unknown>;

const FORBIDDEN_KEYS = new Set([
  '__proto__',
  'prototype',
  'constructor',
  '__defineGetter__',
  '__defineSetter__',
  '__lookupGetter__',
  '__lookupSetter__',
]);

const STRING_METHODS = new Set([
  'includes',
  'startsWith',
  'endsWith',
  'indexOf',
  'lastIndexOf',
  'trim',
  'trimStart',
  'trimEnd',
  'toLowerCase',
  'toUpperCase',
  'slice',
  'substring',
  'charAt',
  'padStart',
  'padEnd',
  'split',
  'concat',
  'at',
  'toString',
]);
const ARRAY_METHODS = new Set(['includes', 'indexOf', 'lastIndexOf', 'join', 'slice', 'concat', 'at']);
const ARRAY_CALLBACK_METHODS = new Set(['some', 'every', 'filter', 'map', 'find', 'findIndex']);
const NUMBER_METHODS = new Set(['toFixed', 'toString']);
const MATH_FUNCTIONS = new Set(['abs', 'ceil', 'floor', 'round', 'max', 'min', 'trunc', 'sign', 'pow', 'sqrt']);

const GLOBAL_FUNCTIONS: Record<string, (...args: unknown[]) => unknown> = {
  Number: (v) => Number(v),
  String: (v) => String(v),
  Boolean: (v) => Boolean(v),
  parseInt: (v, radix) => parseInt(String(v), radix === undefined ? undefined : Number(radix)),
  parseFloat: (v) => parseFloat(String(v)),
  isNaN: (v) => Number.isNaN(Number(v)),
};

const MAX_DEPTH = 64;
const MAX_STEPS = 100_000;

/** Parsed programs by source; scripts come from a handful of form definitions. */
const cache = new Map<string, Node>();

function program(source: string): Node {
  let ast = cache.get(source);
  if (!ast) {
    try {
      ast = parse(source, { ecmaVersion: 'latest', sourceType: 'script' }) as Node;
    } catch (error) {
      throw new UnsupportedExpression(`语法错误（${(error as Error).message}）`);
    }
    if (cache.size > 500) cache.clear();
    cache.set(source, ast);
  }
  return ast;
}

interface Scope {
  vars: Map<string, unknown>;
  parent?: Scope;
}

class Evaluator {
  private steps = 0;

  constructor(private readonly globals: Globals) {}

  run(ast: Node): unknown {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- acorn's Node type has no `body`; the parser gave a Program
    const body = (ast as any).body as Node[];
    let result: unknown;
    for (const statement of body) {
      if (statement.type !== 'ExpressionStatement') throw new UnsupportedExpression(statement.type);
      // eslint-disable-next-line @typescript-eslint/no-explicit-any -- checked above: an ExpressionStatement has `expression`
      result = this.eval((statement as any).expression, undefined, 0);
    }
    return result;
  }

  private lookup(name: string, scope: Scope | undefined): unknown {
    for (let s = scope; s; s = s.parent) if (s.vars.has(name)) return s.vars.get(name);
    if (Object.hasOwn(this.globals, name)) return this.globals[name];
    if (name === 'undefined') return undefined;
    if (name === 'NaN') return NaN;
    if (name === 'Infinity') return Infinity;
    throw new UnsupportedExpression(`未知名称 ${name}`);
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- any ESTree node; each case reads the fields of its `type`, and unknown types are refused
  private eval(node: any, scope: Scope | undefined, depth: number): unknown {
    if (depth > MAX_DEPTH) throw new UnsupportedExpression('嵌套过深');
    if (++this.steps > MAX_STEPS) throw new UnsupportedExpression('计算步骤过多');
    const next = depth + 1;
    switch (node.type) {
      case 'Literal':
        if (node.regex) throw new UnsupportedExpression('正则表达式字面量');
        return node.value;
      case 'Identifier':
        return this.lookup(node.name, scope);
      case 'TemplateLiteral': {
        let out = '';
        node.quasis.forEach((quasi: { value: { cooked: string } }, i: number) => {
          out += quasi.value.cooked;
          if (i < node.expressions.length) out += String(this.eval(node.expressions[i], scope, next));
        });
        return out;
      }
      case 'ArrayExpression':
        return node.elements.map((element: unknown) => {
          if (!element || (element as { type: string }).type === 'SpreadElement')
            throw new UnsupportedExpression('数组展开');
          return this.eval(element, scope, next);
        });
      case 'ObjectExpression': {
        const out: Record<string, unknown> = {};
        for (const property of node.properties) {
          if (property.type !== 'Property' || property.kind !== 'init' || property.computed)
            throw new UnsupportedExpression('对象字面量');
          const key = property.key.type === 'Identifier' ? property.key.name : String(property.key.value);
          if (FORBIDDEN_KEYS.has(key)) throw new UnsupportedExpression(key);
          out[key] = this.eval(property.value, scope, next);
        }
        return out;
      }
      case 'ParenthesizedExpression':
        return this.eval(node.expression, scope, next);
      case 'SequenceExpression': {
        let result: unknown;
        for (const expression of node.expressions) result = this.eval(expression, scope, next);
        return result;
      }
      case 'UnaryExpression': {
        if (node.operator === 'typeof' && node.argument.type === 'Identifier') {
          try {
            return typeof this.lookup(node.argument.name, scope);
          } catch {
            return 'undefined';
          }
        }
        const value = this.eval(node.argument, scope, next);
        switch (node.operator) {
          case '!':
            return !value;
          case '-':
            return -(value as number);
          case '+':
            return +(value as number);
          case 'typeof':
            return typeof value;
          case 'void':
            return undefined;
          default:
            throw new UnsupportedExpression(node.operator);
        }
      }
      case 'LogicalExpression': {
        const left = this.eval(node.left, scope, next);
        if (node.operator === '&&') return left ? this.eval(node.right, scope, next) : left;
        if (node.operator === '||') return left ? left : this.eval(node.right, scope, next);
        return left ?? this.eval(node.right, scope, next);
      }
      case 'BinaryExpression':
        return binary(node.operator, this.eval(node.left, scope, next), this.eval(node.right, scope, next));
      case 'ConditionalExpression':
        return this.eval(node.test, scope, next)
          ? this.eval(node.consequent, scope, next)
          : this.eval(node.alternate, scope, next);
      case 'ChainExpression':
        try {
          return this.eval(node.expression, scope, next);
        } catch (error) {
          if (error instanceof ShortCircuit) return undefined;
          throw error;
        }
      case 'MemberExpression': {
        const object = this.eval(node.object, scope, next);
        if (node.optional && (object === null || object === undefined)) throw new ShortCircuit();
        const key = node.computed ? this.eval(node.property, scope, next) : node.property.name;
        return member(object, key);
      }
      case 'CallExpression':
        return this.call(node, scope, next);
      case 'ArrowFunctionExpression':
        throw new UnsupportedExpression('函数只能作为 some / every / filter / map / find 的参数');
      default:
        throw new UnsupportedExpression(node.type);
    }
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a CallExpression node, as `eval` dispatched it
  private call(node: any, scope: Scope | undefined, depth: number): unknown {
    const callee = node.callee;
    for (const argument of node.arguments)
      if (argument.type === 'SpreadElement') throw new UnsupportedExpression('参数展开');

    if (
      callee.type === 'Identifier' &&
      Object.hasOwn(GLOBAL_FUNCTIONS, callee.name) &&
      !this.isShadowed(callee.name, scope)
    ) {
      return GLOBAL_FUNCTIONS[callee.name](...node.arguments.map((a: unknown) => this.eval(a, scope, depth)));
    }
    if (callee.type !== 'MemberExpression' || callee.computed) throw new UnsupportedExpression('函数调用');
    const method: string = callee.property.name;

    if (callee.object.type === 'Identifier' && !this.isShadowed(callee.object.name, scope)) {
      if (callee.object.name === 'Math' && MATH_FUNCTIONS.has(method)) {
        const args = node.arguments.map((a: unknown) => Number(this.eval(a, scope, depth)));
        return (Math[method as keyof Math] as (...n: number[]) => number)(...args);
      }
      if (callee.object.name === 'Array' && method === 'isArray') {
        return Array.isArray(this.eval(node.arguments[0], scope, depth));
      }
    }

    const target = this.eval(callee.object, scope, depth);
    if (callee.optional && (target === null || target === undefined)) throw new ShortCircuit();

    if (Array.isArray(target) && ARRAY_CALLBACK_METHODS.has(method)) {
      const fn = node.arguments[0];
      if (!fn || fn.type !== 'ArrowFunctionExpression' || fn.async || fn.body.type === 'BlockStatement') {
        throw new UnsupportedExpression(`${method} 的参数应为箭头函数表达式`);
      }
      const params: string[] = fn.params.map((p: { type: string; name: string }) => {
        if (p.type !== 'Identifier') throw new UnsupportedExpression('箭头函数参数');
        return p.name;
      });
      const invoke = (item: unknown, index: number) => {
        const vars = new Map<string, unknown>();
        if (params[0]) vars.set(params[0], item);
        if (params[1]) vars.set(params[1], index);
        return this.eval(fn.body, { vars, parent: scope }, depth);
      };
      switch (method) {
        case 'some':
          return target.some((item, i) => invoke(item, i));
        case 'every':
          return target.every((item, i) => invoke(item, i));
        case 'filter':
          return target.filter((item, i) => invoke(item, i));
        case 'map':
          return target.map((item, i) => invoke(item, i));
        case 'find':
          return target.find((item, i) => invoke(item, i));
        default:
          return target.findIndex((item, i) => invoke(item, i));
      }
    }

    const args = node.arguments.map((a: unknown) => this.eval(a, scope, depth));
    if (typeof target === 'string' && STRING_METHODS.has(method)) {
      return (String.prototype[method as keyof string] as (...a: unknown[]) => unknown).apply(target, args);
    }
    if (Array.isArray(target) && ARRAY_METHODS.has(method)) {
      return (Array.prototype[method as keyof unknown[]] as (...a: unknown[]) => unknown).apply(target, args);
    }
    if (typeof target === 'number' && NUMBER_METHODS.has(method)) {
      return (Number.prototype[method as keyof number] as (...a: unknown[]) => unknown).apply(target, args);
    }
    throw new UnsupportedExpression(`方法 ${method}`);
  }

  private isShadowed(name: string, scope: Scope | undefined): boolean {
    for (let s = scope; s; s = s.parent) if (s.vars.has(name)) return true;
    return Object.hasOwn(this.globals, name);
  }
}

/** Thrown by `a?.b` when `a` is null or undefined; caught at the enclosing ChainExpression. */
class ShortCircuit extends Error {}

function member(object: unknown, key: unknown): unknown {
  if (object === null || object === undefined) {
    throw new UnsupportedExpression(`读取 ${String(object)} 的属性 ${String(key)}`);
  }
  if (typeof key !== 'string' && typeof key !== 'number') throw new UnsupportedExpression('属性名');
  const name = String(key);
  if (FORBIDDEN_KEYS.has(name)) throw new UnsupportedExpression(name);
  if ((typeof object === 'string' || Array.isArray(object)) && name === 'length') return object.length;
  if (typeof object === 'string') return /^\d+$/.test(name) ? object[Number(name)] : undefined;
  if (typeof object !== 'object') return undefined;
  return Object.hasOwn(object, name) ? (object as Record<string, unknown>)[name] : undefined;
}

function binary(operator: string, left: unknown, right: unknown): unknown {
  // Values are JSON data (strings, numbers, booleans, null, plain arrays and objects): coercion cannot run user code.
  /* eslint-disable @typescript-eslint/no-explicit-any -- JavaScript's own operators on JSON values, which TypeScript types only for numbers */
  const l = left as any;
  const r = right as any;
  switch (operator) {
    case '==':
      return l == r;
    case '!=':
      return l != r;
    case '===':
      return l === r;
    case '!==':
      return l !== r;
    case '<':
      return l < r;
    case '<=':
      return l <= r;
    case '>':
      return l > r;
    case '>=':
      return l >= r;
    case '+':
      return l + r;
    case '-':
      return l - r;
    case '*':
      return l * r;
    case '/':
      return l / r;
    case '%':
      return l % r;
    case '**':
      return l ** r;
    case 'in':
      if (r === null || typeof r !== 'object') throw new UnsupportedExpression('in 的右侧应为对象');
      return Object.hasOwn(r, String(l));
    default:
      throw new UnsupportedExpression(operator);
  }
  /* eslint-enable @typescript-eslint/no-explicit-any */
}

/** Evaluates `source` with `globals` in view. Throws {@link UnsupportedExpression} for anything outside the subset. */
export function evaluate(source: string, globals: Globals): unknown {
  return new Evaluator(globals).run(program(source));
}

/** Truthiness the way the server reads a condition's result (ActivityContext.Truthy: any object or array is true). */
export function truthy(value: unknown): boolean {
  if (value === null || value === undefined) return false;
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') return value !== 0 && !Number.isNaN(value);
  if (typeof value === 'string') return value.length > 0;
  return true;
}
