; Instalador de Windows de Qali Warma CAE (Inno Setup 6), en español.
; Empaqueta la carpeta congelada que produce installer/qaliwarma.spec (PyInstaller, una carpeta):
;   dist\QaliWarmaCAE\qaliwarma-gui.exe   el programa con ventanas (accesos directos)
;   dist\QaliWarmaCAE\qaliwarma.exe       la línea de comandos
;   dist\QaliWarmaCAE\_internal\…         Python, Qt, las bibliotecas, los recursos y el recetario
; Se compila en Windows (.github/workflows/windows-installer.yml), después del mismo paso de PyInstaller
; que `make dist`:
;   ISCC.exe /DAppVersion=0.1.0 installer\qaliwarma.iss   →   dist\QaliWarmaCAE-0.1.0-instalador.exe
;
; Para el usuario actual, sin permisos de administrador: el programa va a
; %LOCALAPPDATA%\Programs\Qali Warma CAE ({userpf}); los datos del comité están en otra carpeta,
; %LOCALAPPDATA%\QaliWarmaCAE (qaliwarma/paths.py, platformdirs), que este instalador nunca borra: ni al
; desinstalar ni al actualizar. Antes de actualizar el esquema de la base, el programa mismo copia el
; archivo a su lado (qaliwarma.antes-de-actualizar-….sqlite3).

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif
#define AppName "Qali Warma CAE"
#define DistDir "..\dist\QaliWarmaCAE"
#define GuiExe "qaliwarma-gui.exe"
#define CliExe "qaliwarma.exe"

[Setup]
; El mismo AppId en todas las versiones: una versión nueva se instala encima de la anterior (actualiza
; en el mismo lugar, un solo registro en «Aplicaciones instaladas»). No cambiarlo nunca.
AppId={{6F0B2C1E-8A4D-4E7B-9C2F-3D5A7E9B1C40}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=Qali Warma CAE
AppComments=Menús, almacén, raciones y rendición de cuentas del Comité de Alimentación Escolar
VersionInfoVersion={#AppVersion}
VersionInfoDescription=Instalador de {#AppName}
; Sin administrador: todo en la cuenta del usuario.
PrivilegesRequired=lowest
DefaultDirName={userpf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
UsePreviousAppDir=yes
; Al actualizar, cerrar el programa si está abierto (para reemplazar sus archivos) y volver a abrirlo.
CloseApplications=yes
RestartApplications=no
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
OutputDir=..\dist
OutputBaseFilename=QaliWarmaCAE-{#AppVersion}-instalador
SetupIconFile=..\resources\icons\qaliwarma.ico
UninstallDisplayIcon={app}\{#GuiExe}
UninstallDisplayName={#AppName}
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
ShowLanguageDialog=no

[Languages]
Name: "es"; MessagesFile: "compiler:Languages\Spanish.isl"

[Tasks]
Name: "escritorio"; Description: "Crear un acceso directo en el escritorio"; GroupDescription: "Accesos directos:"

[InstallDelete]
; Una actualización reemplaza la carpeta de bibliotecas entera (no quedan archivos de la versión
; anterior). Es la carpeta del programa, nunca la de datos.
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "{#DistDir}\{#GuiExe}"; DestDir: "{app}"; Flags: ignoreversion
Source: "{#DistDir}\{#CliExe}"; DestDir: "{app}"; Flags: ignoreversion
Source: "{#DistDir}\_internal\*"; DestDir: "{app}\_internal"; Flags: ignoreversion recursesubdirs createallsubdirs

[Dirs]
; La carpeta de datos del comité: se crea si falta y nunca se borra al desinstalar.
Name: "{localappdata}\QaliWarmaCAE"; Flags: uninsneveruninstall

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#GuiExe}"; WorkingDir: "{app}"; Comment: "Abrir {#AppName}"
Name: "{autoprograms}\{#AppName} - carpeta de datos"; Filename: "{localappdata}\QaliWarmaCAE"; Comment: "La base de datos y sus copias"
Name: "{autoprograms}\{#AppName} - línea de comandos"; Filename: "{cmd}"; Parameters: "/k ""{app}\{#CliExe}"" --help"; WorkingDir: "{userdocs}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#GuiExe}"; WorkingDir: "{app}"; Tasks: escritorio

[Run]
Filename: "{app}\{#GuiExe}"; Description: "Abrir {#AppName} ahora"; Flags: nowait postinstall skipifsilent

[Code]
procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
begin
  if (CurUninstallStep = usPostUninstall) and not UninstallSilent then
    MsgBox('Se quitó el programa. Los datos del comité siguen en ' + ExpandConstant('{localappdata}\QaliWarmaCAE') +
           ': para llevarlos a otra computadora, copie esa carpeta.', mbInformation, MB_OK);
end;
