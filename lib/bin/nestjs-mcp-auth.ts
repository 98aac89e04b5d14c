#!/usr/bin/env node
// `npx nestjs-mcp-auth doctor …`: the package's command line. Nest's decorators need reflect-metadata
// before the verifier's class is defined, so it is loaded first.
import 'reflect-metadata';
import { readFile } from 'node:fs/promises';
import { Logger } from '@nestjs/common';
import { nestjsMcpAuthMain } from '../doctor/doctor-main.js';

// The library logs discovery through Nest's logger; the report says it all, in one format.
Logger.overrideLogger(false);

async function readStdin(): Promise<string> {
  let text = '';
  for await (const chunk of process.stdin) text += String(chunk);
  return text;
}

process.exitCode = await nestjsMcpAuthMain(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  readStdin,
  readFile: (path) => readFile(path, 'utf8'),
});
