import { findConfigFile } from '../config/defaults.ts';
import { loadConfig } from '../config/load.ts';
import type { Config } from '../config/types.ts';
import { createLogger, type Logger } from '../observability/logger.ts';

/**
 * Config and logger for the one-shot commands (export, ...). Their logs stay at warn level or
 * above, on stderr, so stdout carries only the command's output.
 */
export function loadForCommand(configPath: string | undefined): { config: Config; logger: Logger } {
  const { config, warnings } = loadConfig({ path: findConfigFile(configPath) });
  const quiet = ['trace', 'debug', 'info'].includes(config.log.level) ? 'warn' : config.log.level;
  const logger = createLogger({ level: quiet, encoding: config.log.encoding });
  for (const warning of warnings) logger.warn(warning);
  return { config, logger };
}
