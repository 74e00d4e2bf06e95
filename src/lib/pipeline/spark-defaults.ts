/** Spark MLlib ALS's own defaults (alpha 1.0, regParam 0.1): what an import assumes unless told. Kept apart so the page's settings form does not load the import code. */
export const SPARK_DEFAULTS = { alpha: 1, regularization: 0.1 } as const;
