/** Directory of the read-only reference data (catalog.json, opi-parity.tsv). */
export declare function sharedRestDir(): string;
