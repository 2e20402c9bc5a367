// The part of autocannon's API bench/serve-load.ts and bench/serve-memory.ts use (the package ships no types).
declare module 'autocannon' {
  interface Options { url: string; method?: string; headers?: Record<string, string>; body?: string; connections?: number; duration?: number; pipelining?: number }
  interface Histogram { average: number; p50: number; p99: number }
  export interface Result { requests: Histogram; latency: Histogram; '2xx': number; non2xx: number; errors: number; timeouts: number; statusCodeStats?: Record<string, { count: number }> }
  export default function autocannon(options: Options): Promise<Result>;
}
