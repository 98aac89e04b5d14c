import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';

import type { DevAuthorizationServer } from './dev-authorization-server.js';

/** Injection token of the embedded development authorization server, when the sample started one. */
export const EMBEDDED_AUTHORIZATION_SERVER = Symbol('EMBEDDED_AUTHORIZATION_SERVER');

/** Stops the embedded authorization server with the application (`app.close()`, SIGINT, SIGTERM). */
@Injectable()
export class AuthorizationServerShutdown implements OnApplicationShutdown {
  constructor(@Inject(EMBEDDED_AUTHORIZATION_SERVER) private readonly authorizationServer: DevAuthorizationServer) {}

  onApplicationShutdown(): Promise<void> {
    return this.authorizationServer.close();
  }
}
