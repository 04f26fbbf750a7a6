import { createTheme } from '@mui/material/styles';

// Dark by default: the product is two terminals, and a light frame around them glares.
export const theme = createTheme({
  palette: {
    mode: 'dark',
    primary: { main: '#e0875f', contrastText: '#16100c' },
    secondary: { main: '#79c0ff' },
    success: { main: '#3fb950' },
    warning: { main: '#d29922' },
    error: { main: '#f85149' },
    info: { main: '#58a6ff' },
    background: { default: '#0d1117', paper: '#151b23' },
    divider: 'rgba(240, 246, 252, 0.1)',
    text: { primary: '#e6edf3', secondary: '#8d96a0' },
  },
  shape: { borderRadius: 8 },
  typography: {
    fontFamily:
      'Inter, "Segoe UI", system-ui, -apple-system, Roboto, "Helvetica Neue", "Liberation Sans", Arial, sans-serif',
    h4: { fontWeight: 700, letterSpacing: '-0.02em' },
    h5: { fontWeight: 700, letterSpacing: '-0.01em' },
    h6: { fontWeight: 600 },
    button: { textTransform: 'none', fontWeight: 600 },
  },
  components: {
    MuiAppBar: {
      defaultProps: { elevation: 0, color: 'transparent' },
      styleOverrides: {
        root: {
          backgroundColor: 'rgba(13, 17, 23, 0.85)',
          backdropFilter: 'blur(8px)',
          borderBottom: '1px solid rgba(240, 246, 252, 0.1)',
        },
      },
    },
    MuiPaper: { styleOverrides: { root: { backgroundImage: 'none' } } },
    MuiButton: { defaultProps: { disableElevation: true } },
    MuiTableCell: {
      styleOverrides: {
        root: { borderColor: 'rgba(240, 246, 252, 0.08)' },
        head: {
          color: '#8d96a0',
          fontWeight: 600,
          fontSize: 12,
          textTransform: 'uppercase',
          letterSpacing: '0.04em',
        },
      },
    },
    MuiTooltip: { defaultProps: { arrow: true } },
    MuiDialog: {
      styleOverrides: { paper: { border: '1px solid rgba(240, 246, 252, 0.1)' } },
    },
  },
});
