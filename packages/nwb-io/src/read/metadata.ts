import type { H5Reader } from './h5-reader.js';

/** Session-level metadata of an NWB file. */
export interface NwbMetadata {
  identifier: string;
  sessionDescription: string;
  sessionStartTime: string;
  timestampsReferenceTime?: string;
  nwbVersion: string;
  fileCreateDate: string[];
  experimenter: string[];
  institution?: string;
  lab?: string;
  experimentDescription?: string;
  sessionId?: string;
  subject?: Record<string, string | number>;
  /** Cached specifications: namespace -> versions. */
  namespaces: Record<string, string[]>;
}

/** Reads /, /general and /specifications; a file without the required root fields is not NWB. */
export function readMetadata(r: H5Reader): NwbMetadata {
  const version = r.attrString('/', 'nwb_version') ?? r.optionalString('/nwb_version');
  const type = r.attrString('/', 'neurodata_type');
  if (!version || (type !== undefined && type !== 'NWBFile'))
    r.fail('/', "an NWB file (root attribute nwb_version and neurodata_type 'NWBFile')");
  const required = (p: string) => r.optionalString(p) ?? r.fail(p, 'a required NWB string');
  const subject: Record<string, string | number> = {};
  for (const k of r.keys('/general/subject')) {
    const p = `/general/subject/${k}`;
    const v = r.value(p);
    subject[k] = typeof v === 'number' || typeof v === 'bigint' ? Number(v) : String(Array.isArray(v) ? v[0] : v);
  }
  const namespaces: Record<string, string[]> = {};
  for (const ns of r.keys('/specifications')) namespaces[ns] = r.keys(`/specifications/${ns}`);
  return {
    identifier: required('/identifier'),
    sessionDescription: required('/session_description'),
    sessionStartTime: required('/session_start_time'),
    timestampsReferenceTime: r.optionalString('/timestamps_reference_time'),
    nwbVersion: version,
    fileCreateDate: r.find('/file_create_date') ? r.strings('/file_create_date') : [],
    experimenter: r.find('/general/experimenter') ? r.strings('/general/experimenter') : [],
    institution: r.optionalString('/general/institution'),
    lab: r.optionalString('/general/lab'),
    experimentDescription: r.optionalString('/general/experiment_description'),
    sessionId: r.optionalString('/general/session_id'),
    subject: Object.keys(subject).length ? subject : undefined,
    namespaces,
  };
}
