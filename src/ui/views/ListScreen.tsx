import React, { useCallback } from 'react';
import type { Alarm, Incident, Service } from '../../core/model.js';
import type { LiveSnapshot } from '../../core/live/model.js';
import type { Policy } from '../../core/policy/types.js';
import { serviceCondition } from '../../core/status.js';
import { ALARM_COLUMNS, alarmCells, rowHealth, type MutedAlarms } from '../render/alarms.js';
import { INCIDENT_COLUMNS, incidentCells } from '../render/incidents.js';
import { SERVICE_COLUMNS, serviceCells } from '../render/services.js';
import type { ScreenId, UiState } from '../state.js';
import type { Theme } from '../theme.js';
import { ListView } from './ListView.js';
import { useT } from '../hooks/useT.js';

interface Listed<T> {
  readonly items: readonly T[];
  readonly error?: string;
  readonly sortLabel: string;
}

export interface ListScreenProps {
  readonly screen: ScreenId;
  readonly state: UiState;
  readonly lists: {
    readonly alarms: Listed<Alarm>;
    readonly services: Listed<Service>;
    readonly incidents: Listed<Incident>;
  };
  readonly live: LiveSnapshot;
  readonly muted?: MutedAlarms;
  readonly policy: Policy;
  readonly wallNow: number;
  readonly width: number;
  readonly height: number;
  readonly theme: Theme;
}

const serviceHealth = (s: Service) => serviceCondition(s).health;
const incidentHealth = (i: Incident) =>
  i.status === 'resolved' ? 'ok' : i.priority === 'P1' || i.priority === 'P2' ? 'critical' : 'warning';

/** The three list screens: alarms, services, incidents, each a live table with its pure row renderer. */
export function ListScreen(p: ListScreenProps): React.ReactElement {
  const { live, lists, state } = p;
  const t = useT();
  // Stable renderers, so that the table's rows re-render only when their item or the cursor changes.
  const alarmRow = useCallback((a: Alarm) => alarmCells(a, live.now, p.muted, t), [live.now, p.muted, t]);
  const serviceRow = useCallback((s: Service) => serviceCells(s, live.now, t), [live.now, t]);
  const incidentRow = useCallback((i: Incident) => incidentCells(i, p.policy, live.now, t), [p.policy, live.now, t]);
  const common = { wallNow: p.wallNow, width: p.width, height: p.height, theme: p.theme };
  if (p.screen === 'alarms')
    return (
      <ListView
        title={t('overview.alarms')}
        items={lists.alarms.items}
        total={live.alarms.data?.length ?? 0}
        state={state.lists.alarms}
        sortLabel={lists.alarms.sortLabel}
        filterError={lists.alarms.error}
        columns={ALARM_COLUMNS}
        cells={alarmRow}
        health={rowHealth}
        source={live.alarms}
        {...common}
      />
    );
  if (p.screen === 'services')
    return (
      <ListView
        title={t('overview.services')}
        items={lists.services.items}
        total={live.services.data?.length ?? 0}
        state={state.lists.services}
        sortLabel={lists.services.sortLabel}
        filterError={lists.services.error}
        columns={SERVICE_COLUMNS}
        cells={serviceRow}
        health={serviceHealth}
        source={live.services}
        {...common}
      />
    );
  return (
    <ListView
      title={t('overview.incidents')}
      items={lists.incidents.items}
      total={live.incidents.data?.length ?? 0}
      state={state.lists.incidents}
      sortLabel={lists.incidents.sortLabel}
      filterError={lists.incidents.error}
      columns={INCIDENT_COLUMNS}
      cells={incidentRow}
      health={incidentHealth}
      source={live.incidents}
      {...common}
    />
  );
}
