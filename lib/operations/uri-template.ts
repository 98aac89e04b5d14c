/**
 * A matcher for the URIs an RFC 6570 URI template expands to, as MCP resource templates (`notes://{id}`)
 * are written. It answers "could this URI come from this template?", which is what authorizing a
 * `resources/read` needs; it does not extract variables. Each expression matches what its operator can
 * expand to: `{id}` one segment (no `/`, `?` or `#`), `{+path}` and `{#frag}` anything, `{/seg}` further
 * path segments, `{.ext}` labels, `{?q}` `{&q}` `{;p}` an optional parameter list.
 */
export function compileUriTemplate(template: string): RegExp {
  let pattern = '^';
  let rest = template;
  while (rest.length > 0) {
    const open = rest.indexOf('{');
    if (open === -1) {
      pattern += literal(rest);
      break;
    }
    const close = rest.indexOf('}', open);
    if (close === -1) throw new TypeError(`URI template ${JSON.stringify(template)} has an unclosed expression`);
    pattern += literal(rest.slice(0, open)) + expression(rest.slice(open + 1, close), template);
    rest = rest.slice(close + 1);
  }
  return new RegExp(`${pattern}$`, 'su');
}

/** Whether a resource name is a URI template (has an expression) rather than one URI. */
export function isUriTemplate(name: string): boolean {
  return /\{[^}]*\}/.test(name);
}

const SEGMENT = '[^/?#]*';

function expression(body: string, template: string): string {
  const operator = /^[+#./;?&]/.test(body) ? body[0]! : '';
  const variables = body.slice(operator.length);
  if (!/^[A-Za-z0-9_%][A-Za-z0-9_%.]*(?::[1-9]\d{0,3}|\*)?(?:,[A-Za-z0-9_%][A-Za-z0-9_%.]*(?::[1-9]\d{0,3}|\*)?)*$/.test(variables)) {
    throw new TypeError(`URI template ${JSON.stringify(template)} has an invalid expression {${body}}`);
  }
  switch (operator) {
    case '+':
      return '.*';
    case '#':
      return '(?:#.*)?';
    case '/':
      return `(?:/${SEGMENT})*`;
    case '.':
      return '(?:\\.[^/?#.]*)*';
    case ';':
      return '(?:;[^/?#]*)*';
    case '?':
    case '&':
      return '(?:[?&][^#]*)?';
    default:
      return SEGMENT;
  }
}

function literal(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
