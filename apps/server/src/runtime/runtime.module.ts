import { Global, Module } from '@nestjs/common';
import { AppConfig } from '../config/env';
import { DockerRuntime } from './docker/docker.runtime';
import { RuntimeError } from './runtime.errors';
import { Runtime } from './runtime.port';

export function createRuntime(config: AppConfig): Runtime {
  const { runtime, dockerHost, dockerRuntime, instance, resources } = config.values;
  switch (runtime) {
    case 'docker':
      return new DockerRuntime({
        instance,
        dockerHost,
        ociRuntime: dockerRuntime,
        nofileLimit: resources.nofileLimit,
      });
    case 'kubernetes':
      throw new RuntimeError('RUNTIME_UNAVAILABLE', {
        message:
          'CCR_RUNTIME: the kubernetes adapter is not available yet in this version; use CCR_RUNTIME=docker',
      });
  }
}

@Global()
@Module({
  providers: [{ provide: Runtime, inject: [AppConfig], useFactory: createRuntime }],
  exports: [Runtime],
})
export class RuntimeModule {}
