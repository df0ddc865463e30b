export {
  bronzeTableDdl,
  defaultExportMapping,
  IngestError,
  ingestDirectory,
  ingestFile,
  type BronzeTarget,
  type ExportMapping,
  type IngestErrorCode,
  type IngestFileOptions,
  type IngestResult,
} from './ingest-files.js';
