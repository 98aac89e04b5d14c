import { unionScopes } from '../scopes/scope-matching.js';
import type { McpCall, McpOperationKind, OperationRequirements } from './mcp-operation.js';
import { compileUriTemplate, isUriTemplate } from './uri-template.js';

interface TemplateEntry {
  template: string;
  matcher: RegExp;
  requirements: OperationRequirements;
}

const NONE: OperationRequirements = Object.freeze({ scopes: Object.freeze([]), roles: Object.freeze([]) });

/**
 * What each MCP operation of a resource needs: tools and prompts by name, resources by exact URI or by URI
 * template. Declarations of one operation from several places (a decorated method, the `mcp` option)
 * add up. Built once at bootstrap, read on every request.
 */
export class OperationRequirementsTable {
  private readonly named: Record<McpOperationKind, Map<string, OperationRequirements>> = {
    tool: new Map(),
    resource: new Map(),
    prompt: new Map(),
  };
  private readonly templates: TemplateEntry[] = [];

  /** Whether nothing is declared: the guard then has no operation to look up. */
  get isEmpty(): boolean {
    // Read on every guarded request: spelled out rather than iterated, so that it allocates nothing.
    const { tool, resource, prompt } = this.named;
    return this.templates.length === 0 && tool.size === 0 && resource.size === 0 && prompt.size === 0;
  }

  add(kind: McpOperationKind, name: string, requirements: OperationRequirements): this {
    if (kind === 'resource' && isUriTemplate(name)) {
      const existing = this.templates.find((entry) => entry.template === name);
      if (existing) existing.requirements = merge(existing.requirements, requirements);
      else this.templates.push({ template: name, matcher: compileUriTemplate(name), requirements });
      return this;
    }
    const map = this.named[kind];
    map.set(name, merge(map.get(name) ?? NONE, requirements));
    return this;
  }

  /** A copy holding this table's declarations and then another's (a resource's own on top of the application's). */
  with(other: OperationRequirementsTable): OperationRequirementsTable {
    const combined = new OperationRequirementsTable();
    for (const table of [this, other]) {
      for (const [kind, map] of Object.entries(table.named) as Array<[McpOperationKind, Map<string, OperationRequirements>]>) {
        for (const [name, requirements] of map) combined.add(kind, name, requirements);
      }
      for (const entry of table.templates) combined.add('resource', entry.template, entry.requirements);
    }
    return combined;
  }

  /**
   * Everything the calls of one request need together: a batch needs every call's requirements. A resource
   * URI declared exactly is that resource; otherwise it needs what every template it fits needs.
   */
  requirementsOf(calls: readonly McpCall[]): OperationRequirements {
    let needed = NONE;
    for (const call of calls) {
      if (!call.target) continue;
      const { kind, name } = call.target;
      const exact = this.named[kind].get(name);
      if (exact) needed = merge(needed, exact);
      else if (kind === 'resource') {
        for (const entry of this.templates) if (entry.matcher.test(name)) needed = merge(needed, entry.requirements);
      }
    }
    return needed;
  }

  /** What a resource template itself needs, as declared for exactly that template (for listing templates). */
  requirementsOfTemplate(template: string): OperationRequirements {
    return this.templates.find((entry) => entry.template === template)?.requirements ?? NONE;
  }
}

function merge(a: OperationRequirements, b: OperationRequirements): OperationRequirements {
  if (b.scopes.length === 0 && b.roles.length === 0) return a;
  if (a.scopes.length === 0 && a.roles.length === 0) return b;
  return { scopes: unionScopes(a.scopes, b.scopes), roles: unionScopes(a.roles, b.roles) };
}
