// Preloaded by bench/run-all.ts: writes this process's peak RSS (MB) to DOLPHIN_RSS_FILE when it exits.
import { writeFileSync } from 'node:fs';

const file = process.env.DOLPHIN_RSS_FILE;
if (file) process.on('exit', () => writeFileSync(file, String(process.resourceUsage().maxRSS / 1024)));
