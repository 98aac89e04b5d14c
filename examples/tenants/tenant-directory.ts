import { Injectable, Module } from '@nestjs/common';

/** Stands in for your own records of the tenants (customers) you serve. */
@Injectable()
export class TenantDirectory {
  private readonly tenants = new Set(['acme', 'globex']);

  exists(tenant: string): boolean {
    return this.tenants.has(tenant);
  }
}

@Module({ providers: [TenantDirectory], exports: [TenantDirectory] })
export class TenantsModule {}
