import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, MODULE_PATH, PATH_METADATA, VERSION_METADATA } from '@nestjs/common/constants.js';
import type { ApplicationConfig } from '@nestjs/core';
import type { RoutePathMetadata } from '@nestjs/core/router/interfaces/route-path-metadata.interface.js';
import { RoutePathFactory } from '@nestjs/core/router/route-path-factory.js';
import type { ControllerRoute } from './controller-routes.js';

type VersionValue = RoutePathMetadata['controllerVersion'];

/** One path a route is served at, with its method: `GET /api/v1/notes/:id`. */
export interface ServedPath {
  method: string;
  path: string;
}

/**
 * Builds the paths Nest serves routes at, as Nest's router builds them: with Nest's own path factory, from
 * the same metadata (`RouterModule` module path, controller and handler paths, URI version, global prefix
 * and its exclusions). Valid once the application is initialising: the global prefix and versioning are
 * set on the application before `init()`.
 */
export class RoutePaths {
  private readonly factory: RoutePathFactory;

  constructor(
    private readonly config: ApplicationConfig,
    /** The container's id, under which `RouterModule` records module paths. */
    private readonly applicationId: string,
  ) {
    this.factory = new RoutePathFactory(config);
  }

  of(route: ControllerRoute): ServedPath[] {
    const requestMethod = Reflect.getMetadata(METHOD_METADATA, route.handler) as RequestMethod;
    const versioningOptions = this.config.getVersioning();
    const prefix = this.config.getGlobalPrefix();
    const shared: RoutePathMetadata = {
      modulePath: route.module ? this.modulePath(route.module) : undefined,
      // As Nest's router passes it: with a leading slash.
      globalPrefix: prefix && !prefix.startsWith('/') ? `/${prefix}` : prefix,
      versioningOptions,
      controllerVersion: versioningOptions
        ? ((Reflect.getMetadata(VERSION_METADATA, route.controller) as VersionValue) ?? versioningOptions.defaultVersion)
        : undefined,
      methodVersion: Reflect.getMetadata(VERSION_METADATA, route.handler) as VersionValue,
    };
    const method = RequestMethod[requestMethod];
    const controllerPaths = asList(Reflect.getMetadata(PATH_METADATA, route.controller) as string | string[]);
    const handlerPaths = asList(Reflect.getMetadata(PATH_METADATA, route.handler) as string | string[]);
    return controllerPaths.flatMap((ctrlPath) =>
      handlerPaths.flatMap((methodPath) =>
        this.factory.create({ ...shared, ctrlPath, methodPath }, requestMethod).map((path) => ({ method, path })),
      ),
    );
  }

  private modulePath(module: object): string | undefined {
    return (Reflect.getMetadata(MODULE_PATH + this.applicationId, module) ?? Reflect.getMetadata(MODULE_PATH, module)) as string | undefined;
  }
}

function asList(value: string | string[]): string[] {
  return Array.isArray(value) ? value : [value];
}
